package dev.vmwguest.backdoor;

/**
 * Root of every exception vmwguest throws about the host or the backdoor.
 *
 * <p>Unchecked: the caller can rarely do more than report it or try again
 * later, and {@link #isRetryable()} says which. Each layer extends it (the
 * channel protocol with {@code RpcException}, and so on); the message always
 * says what failed and what to do next.
 */
public class BackdoorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what went wrong, in words for the user
     */
    public BackdoorException(String message) {
        super(message);
    }

    /**
     * An exception with the given message and cause.
     *
     * @param message what went wrong, in words for the user
     * @param cause the failure that led to this one
     */
    public BackdoorException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether repeating the same operation may succeed. False unless a subclass knows better.
     *
     * @return whether repeating the same operation may succeed
     */
    public boolean isRetryable() {
        return false;
    }
}
