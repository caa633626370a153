package dev.vmwguest.tclo;

import dev.vmwguest.rpci.WireText;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The guest's answer to one TCLO command: {@code OK <result>} or
 * {@code ERROR <reason>} (shared/protocol/tclo.md section 2, the
 * open-vm-tools format every host accepts).
 *
 * <pre>{@code
 * TcloReply.ok();                      // "OK "
 * TcloReply.ok("/tmp/deploy");         // "OK /tmp/deploy"
 * TcloReply.error("disk is busy");     // "ERROR disk is busy"
 * }</pre>
 *
 * <p>{@link #toBytes()} is the exact wire form: the prefix, one space, the
 * text as UTF-8, and no trailing NUL.
 *
 * @param success whether the command succeeded
 * @param text    the result (after {@code OK }) or the reason (after {@code ERROR }); may be empty
 */
public record TcloReply(boolean success, String text) {

    /** The reply to a command name no handler knows: {@code ERROR Unknown Command} (capital C). */
    public static final String UNKNOWN_COMMAND = "Unknown Command";
    /** The reply to an empty or blank command: {@code ERROR Bad command}. */
    public static final String BAD_COMMAND = "Bad command";

    private static final TcloReply OK = new TcloReply(true, "");

    /**
     * Validates the components.
     *
     * @param success whether the command succeeded
     * @param text    the result or the reason; may be empty
     * @throws IllegalArgumentException if {@code text} holds an unpaired surrogate, which UTF-8
     *         cannot carry (the host would get a {@code ?} in its place); the message names the index.
     *         Thrown from a handler, it becomes an {@code ERROR} reply like any handler failure
     */
    public TcloReply {
        Objects.requireNonNull(text, "text");
        WireText.requireEncodable(text, success ? "TCLO reply result" : "TCLO reply reason");
    }

    /**
     * {@code OK }: success with an empty result, the usual answer.
     *
     * @return the empty success reply
     */
    public static TcloReply ok() {
        return OK;
    }

    /**
     * {@code OK <result>}.
     *
     * @param result what follows {@code OK }; may be empty
     * @return the success reply
     * @throws IllegalArgumentException if {@code result} holds an unpaired surrogate
     */
    public static TcloReply ok(String result) {
        return new TcloReply(true, result);
    }

    /**
     * {@code ERROR <reason>}.
     *
     * @param reason what follows {@code ERROR }, shown to the host
     * @return the failure reply
     * @throws IllegalArgumentException if {@code reason} holds an unpaired surrogate
     */
    public static TcloReply error(String reason) {
        return new TcloReply(false, reason);
    }

    /**
     * {@code ERROR Unknown Command}: what open-vm-tools answers for a name it does not know.
     *
     * @return the unknown-command reply
     */
    public static TcloReply unknownCommand() {
        return error(UNKNOWN_COMMAND);
    }

    /**
     * The wire bytes: {@code "OK " + text} or {@code "ERROR " + text} in UTF-8, no NUL.
     *
     * @return a new array each time
     */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a reply in the form {@link #toBytes()} writes. Pure; for tests and
     * tools that look at replies from the host's side.
     *
     * @param wire the reply as text, e.g. {@code OK ATR toolbox}
     * @return the reply
     * @throws IllegalArgumentException if it starts with neither {@code "OK "} nor {@code "ERROR "}
     */
    public static TcloReply parse(String wire) {
        if (wire.startsWith("OK ")) {
            return ok(wire.substring(3));
        }
        if (wire.startsWith("ERROR ")) {
            return error(wire.substring(6));
        }
        throw new IllegalArgumentException("not a TCLO reply (must start with \"OK \" or \"ERROR \"): " + wire);
    }

    /** The wire form as text, e.g. {@code OK ATR toolbox}. */
    @Override
    public String toString() {
        return (success ? "OK " : "ERROR ") + text;
    }
}
