package dev.vmwguest.vsock;

import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import dev.vmwguest.rpc.transport.TransportRefusedException;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes vsock connections as open-vm-tools does (transports.md section 1.2):
 * a new socket per attempt, closed on failure, never reused.
 *
 * <p>Privileged: bind port 1023 and search downwards. {@code EADDRINUSE} moves
 * one port down; {@code ECONNRESET} too, but after 8 resets the search gives up
 * and, until a connect succeeds again, the next reset ends it at once (the
 * host releases a port pair slowly, or has vsock RPC switched off);
 * {@code EINTR} retries the same port; {@code ENOBUFS} sleeps 1 ms and retries
 * the same port at most 5 times; {@code EACCES} stops with
 * {@link Reason#PRIVILEGE_DENIED}, the one refusal after which the caller makes
 * an unprivileged attempt. Anything else stops the search.
 *
 * <p>Unprivileged: one attempt, bound to a port the kernel picks (RPCI) or
 * not bound at all (TCLO). Thread-safe; attempts run outside any lock.
 */
final class VsockConnector {

    static final int PRIVILEGED_PORT_MAX = 1023;
    static final int PRIVILEGED_PORT_MIN = 1;
    static final int MAX_RESETS = 8;
    static final int MAX_NO_BUFFERS = 5;

    private final VsockSocket.Factory sockets;
    private volatile boolean resetsExhausted;

    VsockConnector(VsockSocket.Factory sockets) {
        this.sockets = sockets;
    }

    /** A connected socket and the source port it was bound to (-1: left to the kernel, unknown). */
    record Connected(VsockSocket socket, int sourcePort) {
    }

    Connected privileged(int cid, int port) {
        TransportKind kind = TransportKind.VSOCK_PRIVILEGED;
        int resets = 0;
        int noBuffers = 0;
        int source = PRIVILEGED_PORT_MAX;
        while (source >= PRIVILEGED_PORT_MIN) {
            VsockSocket socket = open(kind);
            try {
                socket.bind(SockaddrVm.CID_ANY, source);
            } catch (ErrnoException refused) {
                socket.close();
                if (refused.is(VsockErrno.EADDRINUSE)) {
                    source--;
                    continue;
                }
                if (refused.is(VsockErrno.EACCES)) {
                    throw new TransportRefusedException(kind, Reason.PRIVILEGE_DENIED, "the kernel refused a "
                            + "privileged source port (" + refused.getMessage() + "): " + BindCapability.advice(),
                            refused);
                }
                throw failed(kind, refused, "binding a privileged port");
            }
            try {
                socket.connect(cid, port);
                resetsExhausted = false;
                return new Connected(socket, source);
            } catch (ErrnoException failure) {
                socket.close();
                if (failure.is(VsockErrno.EINTR)) {
                    continue;
                }
                if (failure.is(VsockErrno.ENOBUFS) && ++noBuffers <= MAX_NO_BUFFERS) {
                    LockSupport.parkNanos(1_000_000L);   // open-vm-tools: the kernel ran out of vsockets
                    continue;
                }
                if (failure.is(VsockErrno.ECONNRESET) && !resetsExhausted) {
                    if (++resets < MAX_RESETS) {
                        source--;
                        continue;
                    }
                    resetsExhausted = true;
                    throw failed(kind, failure, MAX_RESETS + " resets in a row from port " + PRIVILEGED_PORT_MAX
                            + " down (the host may have vsock RPC disabled); the next reset is final until a"
                            + " connect succeeds");
                }
                throw failed(kind, failure, "connecting from privileged port " + source);
            }
        }
        throw new TransportRefusedException(kind, Reason.FAILED, "every privileged source port from "
                + PRIVILEGED_PORT_MAX + " down to " + PRIVILEGED_PORT_MIN + " is in use (EADDRINUSE)");
    }

    /** One attempt from a port above 1023: bound to any port ({@code bind} true, RPCI) or unbound (TCLO). */
    Connected unprivileged(int cid, int port, boolean bind) {
        TransportKind kind = TransportKind.VSOCK;
        VsockSocket socket = open(kind);
        try {
            if (bind) {
                socket.bind(SockaddrVm.CID_ANY, SockaddrVm.PORT_ANY);
            }
            socket.connect(cid, port);
            resetsExhausted = false;
            return new Connected(socket, -1);
        } catch (ErrnoException failure) {
            socket.close();
            throw failed(kind, failure, "connecting from an unprivileged port");
        }
    }

    /** Creates and closes one socket: never bound, never connected. */
    void probe(TransportKind kind) {
        open(kind).close();
    }

    private VsockSocket open(TransportKind kind) {
        try {
            return sockets.open();
        } catch (ErrnoException failure) {
            Optional<VsockErrno> errno = failure.errno();
            String meaning = errno.map(VsockConnector::unavailability)
                    .orElse("socket() failed with " + VsockErrno.describe(failure.number()));
            throw new VsockUnavailableException(kind, meaning + " (" + failure.getMessage() + ", "
                    + sockets.describe() + ")", errno, failure);
        }
    }

    private static String unavailability(VsockErrno errno) {
        return switch (errno) {
            case EAFNOSUPPORT -> "this kernel has no AF_VSOCK";
            case EPERM -> "AF_VSOCK is forbidden here, probably by a container's seccomp profile (Docker and "
                    + "containerd block family 40 by default); allow it in a custom profile";
            case ENODEV -> "no vsock transport reaches the host";
            default -> "socket() failed with " + errno;
        };
    }

    private TransportRefusedException failed(TransportKind kind, ErrnoException failure, String doing) {
        if (failure.is(VsockErrno.ENODEV)) {
            return new VsockUnavailableException(kind, "no vsock transport reaches the host (" + failure.getMessage()
                    + ")", failure.errno(), failure);
        }
        String meaning = failure.errno().map(errno -> switch (errno) {
            case ETIMEDOUT -> ": nobody answered in time (not a VMware host?)";
            case ECONNRESET -> ": the host refused the connection";
            case EADDRNOTAVAIL -> ": the bind CID is not this machine's";
            default -> "";
        }).orElse("");
        return new TransportRefusedException(kind, Reason.FAILED, doing + " failed (" + failure.getMessage() + ")"
                + meaning + " via " + sockets.describe(), failure);
    }
}
