package dev.vmwguest.vsock;

import java.util.Optional;

/**
 * A socket call failed with {@code errno}. Internal: the connector turns it
 * into a {@link dev.vmwguest.rpc.transport.TransportRefusedException} and the
 * connection into a {@link VsockConnectionException}, each saying what it
 * means.
 */
final class ErrnoException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int number;

    ErrnoException(String call, int number) {
        super(call + " failed: " + VsockErrno.describe(number), null, false, false);
        this.call = call;
        this.number = number;
    }

    ErrnoException(String call, VsockErrno errno) {
        this(call, errno.number());
    }

    /** The failing call, e.g. {@code bind(port 1023)}. */
    String call() {
        return call;
    }

    /** The raw errno. */
    int number() {
        return number;
    }

    /** The errno as a named constant, if it is one we name. */
    Optional<VsockErrno> errno() {
        return VsockErrno.of(number);
    }

    boolean is(VsockErrno errno) {
        return number == errno.number();
    }
}
