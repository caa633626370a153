package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.BAD_VALUE;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.MALFORMED_TEXT;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.TRUNCATED;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes {@code SetGuestInfo} type 11, INFO_OS_DETAILED (guest-info.md
 * section 3.3): a 648-byte header {u32 version = 1 (LE), char shortName[129],
 * char fullName[513], 2 pad bytes} followed by the detailed string
 * {@code name='value' name='value' ...} and a NUL.
 */
final class OsDetailedDecoder {

    static final int HEADER_SIZE = 648;
    private static final int SHORT_NAME_OFFSET = 4;
    private static final int SHORT_NAME_SIZE = 129;
    private static final int FULL_NAME_OFFSET = 133;
    private static final int FULL_NAME_SIZE = 513;

    /** The decoded header and string. */
    record Detailed(String shortName, String fullName, String detailedData, Map<String, String> details) {
    }

    private OsDetailedDecoder() {
    }

    /** @throws GuestInfoDecodeException if the header is short or of another version, or the string malformed */
    static Detailed decode(byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new GuestInfoDecodeException(TRUNCATED, payload.length, "the detailed-data header needs "
                    + HEADER_SIZE + " bytes, got " + payload.length);
        }
        int version = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (version != 1) {
            throw new GuestInfoDecodeException(BAD_VALUE, 0, "header version " + version + ", only 1 is known");
        }
        String shortName = NicInfoV1Decoder.cString(payload, SHORT_NAME_OFFSET, SHORT_NAME_SIZE);
        String fullName = NicInfoV1Decoder.cString(payload, FULL_NAME_OFFSET, FULL_NAME_SIZE);
        int end = HEADER_SIZE;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        String detailed = new String(payload, HEADER_SIZE, end - HEADER_SIZE, StandardCharsets.UTF_8);
        return new Detailed(shortName, fullName, detailed, parse(detailed, HEADER_SIZE));
    }

    /**
     * Splits {@code name='value'} pairs separated by spaces; inside a value a
     * backslash makes the next character literal (vmtoolsd escapes {@code '} and {@code \}).
     */
    static Map<String, String> parse(String text, int baseOffset) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == ' ') {
                i++;
                continue;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0 || eq + 1 >= text.length() || text.charAt(eq + 1) != '\'') {
                throw new GuestInfoDecodeException(MALFORMED_TEXT, baseOffset + i, "expected name='value' at '"
                        + text.substring(i, Math.min(text.length(), i + 20)) + "'");
            }
            String name = text.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (j < text.length() && text.charAt(j) != '\'') {
                if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                    j++;
                }
                value.append(text.charAt(j++));
            }
            if (j >= text.length()) {
                throw new GuestInfoDecodeException(MALFORMED_TEXT, baseOffset + eq, "unterminated value of " + name);
            }
            pairs.put(name, value.toString());
            i = j + 1;
        }
        return Collections.unmodifiableMap(pairs);
    }
}
