package dev.vmwguest.vsock;

import dev.vmwguest.rpc.transport.TransportKind;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportRefusedException;
import java.util.Optional;

/**
 * vsock cannot be used in this process at all: the kernel has no AF_VSOCK
 * ({@code EAFNOSUPPORT}), a seccomp profile forbids it ({@code EPERM}: Docker
 * and containerd default profiles do), no transport reaches the host
 * ({@code ENODEV}), this is not 64-bit Linux, or CPUID does not say VMware.
 * Retrying will not help; the policy moves on to the next transport.
 */
public final class VsockUnavailableException extends TransportRefusedException {

    private static final long serialVersionUID = 1L;

    private final transient Optional<VsockErrno> errno;

    VsockUnavailableException(TransportKind kind, String message, Optional<VsockErrno> errno,
            @org.jspecify.annotations.Nullable Throwable cause) {
        super(kind, TransportRefusal.Reason.UNAVAILABLE, message);
        this.errno = errno;
        if (cause != null) {
            initCause(cause);
        }
    }

    /**
     * The errno of the failing call, when a call failed ({@code EAFNOSUPPORT}, {@code EPERM}, {@code ENODEV}).
     *
     * @return the errno of the failing call, when a call failed ({@code EAFNOSUPPORT}, {@code EPERM}, {@code ENODEV})
     */
    public Optional<VsockErrno> errno() {
        return errno;
    }
}
