package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The host's answer to one RPCI command: a success flag (the {@code 1 } or
 * {@code 0 } prefix) and the bytes after the prefix.
 *
 * <p>Immutable. {@link #text()} decodes strictly: a reply that is not valid
 * UTF-8 throws instead of turning into replacement characters; binary replies
 * are read with {@link #bytes()}.
 */
public final class RpciReply {

    private final boolean success;
    private final byte[] result;

    private RpciReply(boolean success, byte[] result) {
        this.success = success;
        this.result = result;
    }

    /**
     * Parses a raw reply. Pure.
     *
     * @param raw the reply bytes as the host sent them
     * @return the reply: its success flag and the bytes after the prefix
     * @throws RpcProtocolException if it is shorter than 2 bytes or does not start with {@code "1 "} or {@code "0 "}
     *         (open-vm-tools reports such replies as "Invalid format" too)
     */
    public static RpciReply parse(byte[] raw) {
        if (raw.length < 2 || raw[1] != ' ' || (raw[0] != '1' && raw[0] != '0')) {
            throw new RpcProtocolException("malformed RPCI reply " + preview(raw)
                    + ": every reply starts with \"1 \" (success) or \"0 \" (failure)");
        }
        return new RpciReply(raw[0] == '1', Arrays.copyOfRange(raw, 2, raw.length));
    }

    /**
     * Whether the host reported success.
     *
     * @return whether the host reported success
     */
    public boolean success() {
        return success;
    }

    /**
     * A copy of the bytes after the two-byte prefix.
     *
     * @return a copy of the bytes after the two-byte prefix
     */
    public byte[] bytes() {
        return result.clone();
    }

    /**
     * The length of the result in bytes.
     *
     * @return the length of the result in bytes
     */
    public int length() {
        return result.length;
    }

    /**
     * The result as UTF-8 text.
     *
     * @return the result as UTF-8 text
     * @throws RpcProtocolException if the result is not valid UTF-8 (read it with {@link #bytes()})
     */
    public String text() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(result))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RpcProtocolException("RPCI reply is not valid UTF-8 (" + result.length
                    + " bytes); read it with RpciReply.bytes()");
        }
    }

    /** {@code 1 text} or {@code 0 text}, with non-printable bytes escaped; long results shortened. */
    @Override
    public String toString() {
        return (success ? "1 " : "0 ") + preview(result);
    }

    /** Replies are equal when flag and bytes are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RpciReply r && r.success == success && Arrays.equals(r.result, result);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(success) * 31 + Arrays.hashCode(result);
    }

    static String preview(byte[] bytes) {
        StringBuilder text = new StringBuilder("\"");
        int shown = Math.min(bytes.length, 80);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.append(bytes.length > shown ? "\"... (" + bytes.length + " bytes)" : "\"").toString();
    }
}
