package dev.vmwguest.hostsim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reply a host-side RPCI handler gives: {@code 1 } + result or {@code 0 } +
 * reason (shared/protocol/rpci.md section 1.2), or raw bytes to test how a
 * guest copes with a malformed reply. Immutable.
 */
public final class RpciResult {

    private final byte[] reply;

    private RpciResult(byte[] reply) {
        this.reply = reply;
    }

    /**
     * Success: the reply is {@code "1 "} followed by {@code result} (UTF-8; may be empty).
     *
     * @param result the text after {@code "1 "}, possibly empty
     * @return a success result
     */
    public static RpciResult ok(String result) {
        return prefixed('1', result.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Success with a binary result.
     *
     * @param result the bytes after {@code "1 "}, sent as they are
     * @return a success result
     */
    public static RpciResult ok(byte[] result) {
        return prefixed('1', result);
    }

    /**
     * Failure: the reply is {@code "0 "} followed by {@code reason}.
     *
     * @param reason the text after {@code "0 "}
     * @return a failure result
     */
    public static RpciResult error(String reason) {
        return prefixed('0', reason.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Exactly these bytes, without a prefix: for malformed replies ({@code "1"}, {@code "OK"}, empty, junk).
     *
     * @param reply the whole reply, sent as it is
     * @return a result that is exactly {@code reply}
     */
    public static RpciResult raw(byte[] reply) {
        return new RpciResult(reply.clone());
    }

    /**
     * The reply bytes as the guest will receive them.
     *
     * @return the reply bytes as the guest will receive them
     */
    public byte[] bytes() {
        return reply.clone();
    }

    /**
     * Whether the reply starts with {@code "1 "}.
     *
     * @return whether the reply starts with {@code "1 "}
     */
    public boolean success() {
        return reply.length >= 2 && reply[0] == '1' && reply[1] == ' ';
    }

    byte[] unsafeBytes() {
        return reply;
    }

    private static RpciResult prefixed(char status, byte[] text) {
        byte[] reply = new byte[2 + text.length];
        reply[0] = (byte) status;
        reply[1] = ' ';
        System.arraycopy(text, 0, reply, 2, text.length);
        return new RpciResult(reply);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RpciResult r && Arrays.equals(reply, r.reply);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(reply);
    }

    /** The reply as text (UTF-8, malformed bytes replaced). */
    @Override
    public String toString() {
        return new String(reply, StandardCharsets.UTF_8);
    }
}
