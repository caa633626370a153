package dev.vmwguest.backdoor;

/**
 * No usable backdoor in this process. The message says why and what to do;
 * {@link #reason()} says it in a form code can test.
 *
 * <p>When several providers were tried, each one's refusal is attached as a
 * suppressed exception.
 */
public final class BackdoorUnavailableException extends BackdoorException {

    private static final long serialVersionUID = 1L;

    /** Why no backdoor could be had. */
    public enum Reason {
        /** CPUID names another hypervisor, or none. */
        NOT_VMWARE,
        /** The user selected {@code off}. */
        FORCED_OFF,
        /** The host refuses the backdoor from user mode (the probe faulted). */
        RESTRICTED_TO_KERNEL,
        /** No stub exists for this CPU or operating system. */
        UNSUPPORTED_PLATFORM,
        /** Something answered, but not as a VMware host does. */
        NOT_ANSWERED,
        /** The selected provider is not on the class path or module path. */
        NO_PROVIDER
    }

    /** Why no backdoor could be had; serialized with the exception. */
    private final Reason reason;

    /**
     * An exception for {@code reason}; {@code message} says what to do.
     *
     * @param reason why no backdoor could be had, as a category
     * @param message what happened and what to do about it
     */
    public BackdoorUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * An exception for {@code reason} with its cause.
     *
     * @param reason why no backdoor could be had, as a category
     * @param message what happened and what to do about it
     * @param cause the failure that led to this one
     */
    public BackdoorUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Why no backdoor could be had.
     *
     * @return the category of the failure
     */
    public Reason reason() {
        return reason;
    }
}
