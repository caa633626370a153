package dev.vmwguest.agent;

/** The host's resource statistics could not be had: guestlib disabled, or a reply this reader cannot parse. */
public final class VmStatsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     */
    public VmStatsException(String message) {
        super(message);
    }
}
