package dev.vmwguest.hostsim;

/**
 * Why a TCLO command the host queued got no answer: the guest rejected it,
 * sent an empty message instead of a reply, or its channel closed (or the host
 * reset) before it answered. Completes the command's future exceptionally;
 * never thrown into the guest's code path.
 */
public final class TcloUnansweredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TcloUnansweredException(String message) {
        super(message);
    }
}
