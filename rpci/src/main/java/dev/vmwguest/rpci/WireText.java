package dev.vmwguest.rpci;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Text as it goes on the wire: UTF-8, refused rather than altered when it
 * has no UTF-8 form. Java's encoder turns an unpaired surrogate (half of a
 * character, e.g. {@code "x\uD800y"}) into {@code '?'}, so the host would
 * store or log something the caller never wrote; every text path of this
 * library (guestinfo values, log lines, raw commands, TCLO replies) goes
 * through here instead.
 *
 * <pre>{@code
 * byte[] wire = WireText.utf8("caf\u00e9", "value");   // 5 bytes
 * WireText.utf8("x\uD800y", "value");                // IllegalArgumentException: ... index 1 ...
 * }</pre>
 */
public final class WireText {

    private WireText() {
    }

    /**
     * Checks that {@code text} has a UTF-8 form. Allocates nothing.
     *
     * @param text the text
     * @param what what the text is, for messages (e.g. {@code "value"}); the text itself is never quoted,
     *             since it may be a credential
     * @return {@code text}
     * @throws NullPointerException if {@code text} is null, naming {@code what}
     * @throws IllegalArgumentException at the first unpaired surrogate, naming {@code what}, the UTF-16 index
     *         and the code unit
     */
    public static String requireEncodable(String text, String what) {
        int bad = indexOfUnpairedSurrogate(Objects.requireNonNull(text, what));
        if (bad >= 0) {
            throw unencodable(what, text, bad);
        }
        return text;
    }

    /**
     * The index of the first unpaired surrogate in {@code text}, for callers
     * that build their own message. Allocates nothing.
     *
     * @param text the text
     * @return its UTF-16 index, or -1 if every character has a UTF-8 form
     * @throws NullPointerException if {@code text} is null
     */
    public static int indexOfUnpairedSurrogate(CharSequence text) {
        for (int i = 0, length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;   // a pair: one character outside the BMP
                continue;
            }
            return i;
        }
        return -1;
    }

    /**
     * The exception {@link #requireEncodable} throws, for callers that found the index themselves.
     *
     * @param what  what the text is
     * @param text  the text, which is not quoted
     * @param index the index of the unpaired surrogate
     * @return an exception naming {@code what}, the index and the code unit
     */
    public static IllegalArgumentException unencodable(String what, CharSequence text, int index) {
        return new IllegalArgumentException(String.format("%s has an unpaired surrogate U+%04X at index %d; it has "
                + "no UTF-8 form and would reach the host as '?', so nothing was sent", what,
                (int) text.charAt(index), index));
    }

    /**
     * {@code text} as UTF-8, after {@link #requireEncodable(String, String)}.
     *
     * @param text the text
     * @param what what the text is, for messages
     * @return the UTF-8 bytes
     * @throws NullPointerException if {@code text} is null, naming {@code what}
     * @throws IllegalArgumentException if {@code text} has an unpaired surrogate, naming {@code what} and its index
     */
    public static byte[] utf8(String text, String what) {
        return requireEncodable(text, what).getBytes(StandardCharsets.UTF_8);
    }
}
