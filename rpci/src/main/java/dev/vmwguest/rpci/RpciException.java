package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The host answered an RPCI command with failure ({@code 0 <reason>}). Carries
 * the command name and the host's reason, never the command's arguments
 * (guestinfo values often hold credentials).
 */
public class RpciException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The host's reply for a command it does not know. */
    public static final String UNKNOWN_COMMAND = "Unknown command";

    /** The command name; serialized with the exception. */
    private final String command;
    /** The guestinfo key the command was about, or null; serialized with the exception. */
    private final @Nullable String key;
    /** The host's reason; serialized with the exception. */
    private final String reason;

    /**
     * An exception for {@code command} failing with the host's {@code reason}.
     *
     * @param command the command name
     * @param reason  the host's reason
     */
    public RpciException(String command, String reason) {
        this(command, null, reason);
    }

    /** As {@link #RpciException(String, String)}, naming the guestinfo key the command was about, if any. */
    RpciException(String command, @Nullable String key, String reason) {
        this(command, key, reason, "RPCI command '" + command + "'" + forKey(key) + " failed: host says \""
                + reason + "\"");
    }

    RpciException(String command, @Nullable String key, String reason, String message) {
        super(message);
        this.command = command;
        this.key = key;
        this.reason = reason;
    }

    /** {@code " for key 'k'"}, or nothing without a key. */
    static String forKey(@Nullable String key) {
        return key == null ? "" : " for key '" + key + "'";
    }

    /**
     * The command name.
     *
     * @return the text before the first space
     */
    public String command() {
        return command;
    }

    /**
     * The guestinfo key of an {@code info-get} or {@code info-set} (its value is never kept).
     *
     * @return the key as sent, or empty for other commands
     */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /**
     * The host's reason.
     *
     * @return the text after {@code "0 "}
     */
    public String reason() {
        return reason;
    }

    /**
     * Whether the host does not know the command (older hosts lack some).
     *
     * @return whether the reason is {@link #UNKNOWN_COMMAND}, ignoring case and surrounding blanks
     */
    public boolean isUnknownCommand() {
        return UNKNOWN_COMMAND.equalsIgnoreCase(reason.trim());
    }
}
