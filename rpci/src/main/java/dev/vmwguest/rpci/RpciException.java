package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcException;

/**
 * The host answered an RPCI command with failure ({@code 0 <reason>}). Carries
 * the command name and the host's reason, never the command's arguments
 * (guestinfo values often hold credentials).
 */
public class RpciException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The host's reply for a command it does not know. */
    public static final String UNKNOWN_COMMAND = "Unknown command";

    /** The command that failed; serialized with the exception. */
    private final String command;
    /** The host's reply text; serialized with the exception. */
    private final String reason;

    /**
     * An exception for {@code command} failing with the host's {@code reason}.
     *
     * @param command the command that failed
     * @param reason the host's reply text
     */
    public RpciException(String command, String reason) {
        this(command, reason, "RPCI command '" + command + "' failed: host says \"" + reason + "\"");
    }

    RpciException(String command, String reason, String message) {
        super(message);
        this.command = command;
        this.reason = reason;
    }

    /**
     * The command name (the text before the first space).
     *
     * @return the command name (the text before the first space)
     */
    public String command() {
        return command;
    }

    /**
     * The host's reason, the text after {@code "0 "}.
     *
     * @return the host's reason, the text after {@code "0 "}
     */
    public String reason() {
        return reason;
    }

    /**
     * Whether the host does not know the command (older hosts lack some).
     *
     * @return whether the host does not know the command (older hosts lack some)
     */
    public boolean isUnknownCommand() {
        return UNKNOWN_COMMAND.equalsIgnoreCase(reason.trim());
    }
}
