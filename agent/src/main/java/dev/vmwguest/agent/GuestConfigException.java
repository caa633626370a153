package dev.vmwguest.agent;

/** Configuration from guestinfo could not be read: bad encoding, too large, or malformed XML. */
public final class GuestConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the guestinfo key
     * @param cause   the underlying failure, or null
     */
    public GuestConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what is wrong, naming the guestinfo key
     */
    public GuestConfigException(String message) {
        super(message);
    }
}
