package dev.vmwguest.hostsim;

/** A decoder's failure on one payload; becomes a {@link GuestInfoDecodeError} in the view. */
final class GuestInfoDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final GuestInfoDecodeError.Kind kind;
    private final int offset;

    GuestInfoDecodeException(GuestInfoDecodeError.Kind kind, int offset, String message) {
        super(message);
        this.kind = kind;
        this.offset = offset;
    }

    GuestInfoDecodeError toError(String report) {
        return new GuestInfoDecodeError(report, kind, offset, getMessage());
    }
}
