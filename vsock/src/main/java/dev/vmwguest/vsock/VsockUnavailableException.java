package dev.vmwguest.vsock;

import dev.vmwguest.rpc.TransportKind;
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
     * The name of the failing call's errno, when a call failed.
     *
     * @return {@code EAFNOSUPPORT}, {@code EPERM} or {@code ENODEV}, or empty
     */
    public Optional<String> errnoName() {
        return errno.map(Enum::name);
    }

    /** The errno of the failing call, when a call failed. */
    Optional<VsockErrno> errno() {
        return errno;
    }
}
