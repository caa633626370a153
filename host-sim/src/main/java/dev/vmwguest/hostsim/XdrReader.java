package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.BAD_VALUE;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.LIMIT_EXCEEDED;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.TRAILING_BYTES;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.TRUNCATED;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads RFC 4506 XDR items (guest-info.md section 2.1): 4-byte big-endian
 * units, lengths checked against the declared maximum before anything is
 * allocated, padding to 4 bytes. Offsets are relative to the payload start.
 */
final class XdrReader {

    private final byte[] data;
    private int position;

    XdrReader(byte[] data) {
        this.data = data;
    }

    int position() {
        return position;
    }

    /** An {@code int}, {@code unsigned int} or enum, as the 32 bits. */
    int u32(String field) {
        need(4, field);
        int value = (data[position] & 0xFF) << 24 | (data[position + 1] & 0xFF) << 16
                | (data[position + 2] & 0xFF) << 8 | data[position + 3] & 0xFF;
        position += 4;
        return value;
    }

    /** An unsigned 32-bit value widened to a long. */
    long unsigned(String field) {
        return u32(field) & 0xFFFF_FFFFL;
    }

    /** A {@code bool} (0 or 1), also the presence flag of an optional {@code T *x}. */
    boolean bool(String field) {
        int at = position;
        int value = u32(field);
        if (value != 0 && value != 1) {
            throw new GuestInfoDecodeException(BAD_VALUE, at, field + " must be 0 or 1, was " + value);
        }
        return value == 1;
    }

    /** The element count of {@code T x<max>}. */
    int count(int max, String field) {
        int at = position;
        long count = unsigned(field);
        if (count > max) {
            throw new GuestInfoDecodeException(LIMIT_EXCEEDED, at, field + " has " + count + " elements, at most "
                    + max + " allowed");
        }
        return (int) count;
    }

    /** {@code opaque x<max>}: length, bytes, padding. */
    byte[] opaque(int max, String field) {
        int length = count(max, field);
        need(length, field);
        byte[] bytes = Arrays.copyOfRange(data, position, position + length);
        position += length;
        skipPadding(length, field);
        return bytes;
    }

    /** {@code string x<max>} as UTF-8. */
    String string(int max, String field) {
        return new String(opaque(max, field), StandardCharsets.UTF_8);
    }

    /** A fixed {@code char x[n]} as rpcgen encodes it: one 4-byte item per character; the text ends at the first NUL. */
    String charArray(int n, String field) {
        byte[] chars = new byte[n];
        int length = -1;
        for (int i = 0; i < n; i++) {
            int at = position;
            int c = u32(field);
            if (c < -128 || c > 255) {
                throw new GuestInfoDecodeException(BAD_VALUE, at, field + " holds " + c + ", not a char");
            }
            chars[i] = (byte) c;
            if (c == 0 && length < 0) {
                length = i;
            }
        }
        return new String(chars, 0, length < 0 ? n : length, StandardCharsets.UTF_8);
    }

    /** Fails unless every byte was read. */
    void expectEnd(String structure) {
        if (position != data.length) {
            throw new GuestInfoDecodeException(TRAILING_BYTES, position, (data.length - position)
                    + " bytes after the end of " + structure);
        }
    }

    private void need(int bytes, String field) {
        if (data.length - position < bytes) {
            throw new GuestInfoDecodeException(TRUNCATED, position, field + " needs " + bytes + " bytes, "
                    + (data.length - position) + " left");
        }
    }

    private void skipPadding(int length, String field) {
        int padding = (4 - (length & 3)) & 3;
        need(padding, field + " padding");
        position += padding;
    }
}
