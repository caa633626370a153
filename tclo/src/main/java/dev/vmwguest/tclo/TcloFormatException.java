package dev.vmwguest.tclo;

/**
 * The host sent a command that cannot be parsed: an empty message,
 * {@code Set_Option} without a value, {@code Time_Synchronize} with an
 * argument other than 0 or 1, and the like. {@link TcloEvents} answers it
 * with {@link #reply()} and goes on polling; it never ends the loop.
 */
public final class TcloFormatException extends TcloException {

    private static final long serialVersionUID = 1L;

    /** The reason the ERROR reply gives; serialized with the exception. */
    private final String reason;

    /**
     * An exception for a malformed command.
     *
     * @param reason  the text of the {@code ERROR} reply, as open-vm-tools words it
     *                (e.g. {@code Unknown or invalid option})
     * @param command a printable preview of the command, for the message
     */
    public TcloFormatException(String reason, String command) {
        super("malformed TCLO command " + command + ": " + reason);
        this.reason = reason;
    }

    /**
     * The text after {@code ERROR }, e.g. {@code Bad command}.
     *
     * @return the text after {@code ERROR }
     */
    public String reason() {
        return reason;
    }

    /**
     * The reply the host gets for this command.
     *
     * @return the reply the host gets for this command
     */
    public TcloReply reply() {
        return TcloReply.error(reason);
    }
}
