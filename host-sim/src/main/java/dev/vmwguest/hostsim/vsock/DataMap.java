package dev.vmwguest.hostsim.vsock;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The host's own DataMap codec (shared/protocol/transports.md section 1.3),
 * written from the fact sheet and independent of any guest-side code:
 * {@code packet = length:u32be body[length]}, entries
 * {@code type:u32be fieldId:u32be value}, every integer big-endian, INT64 as
 * the low word first.
 *
 * <p>Values are {@link Long} (INT64), {@code byte[]} (STRING), {@code long[]}
 * (INT64LIST) and {@code byte[][]} (STRINGLIST). Every length is checked
 * against the bytes actually present before anything is allocated, so a hostile
 * length costs nothing. Pure functions; thread-safe.
 */
final class DataMap {

    static final int INT64 = 1;
    static final int STRING = 2;
    static final int INT64_LIST = 3;
    static final int STRING_LIST = 4;

    /** transports.md section 1.3 suggests refusing bodies above 1 MiB (govmomi's cap). */
    static final int DEFAULT_MAX_BODY = 1 << 20;

    private static final int HEADER = 4;

    private DataMap() {
    }

    /** Decodes a body (the bytes after the length word) into fieldId to value, in wire order. */
    static Map<Integer, Object> decodeBody(ByteBuffer body) throws DataMapException {
        ByteBuffer in = body.slice();
        Map<Integer, Object> fields = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            need(in, 8, "entry header");
            int type = in.getInt();
            int fieldId = in.getInt();
            Object value = switch (type) {
                case INT64 -> int64(in);
                case STRING -> string(in);
                case INT64_LIST -> int64List(in);
                case STRING_LIST -> stringList(in);
                default -> throw new DataMapException(DataMapException.Problem.BAD_TYPE,
                        "entry type " + Integer.toUnsignedString(type) + " for field " + fieldId);
            };
            if (fields.putIfAbsent(fieldId, value) != null) {
                throw new DataMapException(DataMapException.Problem.DUPLICATE_FIELD, "field " + fieldId);
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    /**
     * Reads one packet from {@code channel}: the length word, then exactly that
     * many bytes, looping over short reads.
     *
     * @return the body, or null at a clean end of stream (before the first byte)
     * @throws DataMapException {@code TRUNCATED} at an end of stream inside the packet,
     *                          {@code OVERSIZE} when the length exceeds {@code maxBody}
     */
    static @Nullable ByteBuffer readPacket(ReadableByteChannel channel, int maxBody) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (!readFully(channel, header)) {
            if (header.position() == 0) {
                return null;
            }
            throw new DataMapException(DataMapException.Problem.TRUNCATED,
                    "stream ended after " + header.position() + " of 4 length bytes");
        }
        long length = Integer.toUnsignedLong(header.getInt(0));
        if (length > maxBody) {
            throw new DataMapException(DataMapException.Problem.OVERSIZE,
                    "packet announces " + length + " bytes, the cap is " + maxBody);
        }
        ByteBuffer body = ByteBuffer.allocate((int) length);
        if (!readFully(channel, body)) {
            throw new DataMapException(DataMapException.Problem.TRUNCATED,
                    "stream ended after " + body.position() + " of " + length + " body bytes");
        }
        return body.flip();
    }

    /** One packet: the length word, then the entries in the order given (Long, byte[], long[], byte[][]). */
    static byte[] encodePacket(Map<Integer, ?> fields) {
        int size = HEADER;
        for (Object value : fields.values()) {
            size += 8 + encodedSize(value);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(size - HEADER);
        fields.forEach((fieldId, value) -> {
            out.putInt(typeOf(value)).putInt(fieldId);
            put(out, value);
        });
        return out.array();
    }

    private static int encodedSize(Object value) {
        if (value instanceof Long) {
            return 8;
        } else if (value instanceof byte[] bytes) {
            return 4 + bytes.length;
        } else if (value instanceof long[] longs) {
            return 4 + 8 * longs.length;
        } else if (value instanceof byte[][] strings) {
            int size = 4;
            for (byte[] s : strings) {
                size += 4 + s.length;
            }
            return size;
        }
        throw new IllegalArgumentException("not a DataMap value: " + value.getClass());
    }

    private static int typeOf(Object value) {
        return value instanceof Long ? INT64 : value instanceof byte[] ? STRING
                : value instanceof long[] ? INT64_LIST : STRING_LIST;
    }

    private static void put(ByteBuffer out, Object value) {
        if (value instanceof Long v) {
            putInt64(out, v);
        } else if (value instanceof byte[] bytes) {
            out.putInt(bytes.length).put(bytes);
        } else if (value instanceof long[] longs) {
            out.putInt(longs.length);
            for (long v : longs) {
                putInt64(out, v);
            }
        } else {
            byte[][] strings = (byte[][]) value;
            out.putInt(strings.length);
            for (byte[] s : strings) {
                out.putInt(s.length).put(s);
            }
        }
    }

    /** The DataMap way: low word first, each word big-endian (not one big-endian 64-bit number). */
    private static void putInt64(ByteBuffer out, long value) {
        out.putInt((int) value).putInt((int) (value >>> 32));
    }

    private static long int64(ByteBuffer in) throws DataMapException {
        need(in, 8, "INT64");
        long low = Integer.toUnsignedLong(in.getInt());
        long high = Integer.toUnsignedLong(in.getInt());
        return high << 32 | low;
    }

    private static byte[] string(ByteBuffer in) throws DataMapException {
        need(in, 4, "STRING length");
        int length = in.getInt();
        if (length <= 0) {
            // The reference decoder refuses it, so an empty STRING cannot exist on the wire.
            throw new DataMapException(DataMapException.Problem.BAD_LENGTH, "STRING length " + length);
        }
        need(in, length, "STRING of " + length + " bytes");
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static long[] int64List(ByteBuffer in) throws DataMapException {
        int count = count(in, 8, "INT64LIST");
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = int64(in);
        }
        return values;
    }

    private static byte[][] stringList(ByteBuffer in) throws DataMapException {
        int count = count(in, 5, "STRINGLIST");
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = string(in);
        }
        return values;
    }

    /** A list count, refused unless {@code count * minimumElement} bytes are really there. */
    private static int count(ByteBuffer in, int minimumElement, String what) throws DataMapException {
        need(in, 4, what + " count");
        int count = in.getInt();
        if (count < 0) {
            throw new DataMapException(DataMapException.Problem.BAD_LENGTH, what + " count " + count);
        }
        need(in, (long) count * minimumElement, what + " of " + count + " elements");
        return count;
    }

    private static void need(ByteBuffer in, long bytes, String what) throws DataMapException {
        if (bytes > in.remaining()) {
            throw new DataMapException(DataMapException.Problem.TRUNCATED,
                    what + " needs " + bytes + " bytes, " + in.remaining() + " left");
        }
    }

    private static boolean readFully(ReadableByteChannel channel, ByteBuffer target) throws IOException {
        while (target.hasRemaining()) {
            int n;
            try {
                n = channel.read(target);
            } catch (EOFException e) {
                return false;
            }
            if (n < 0) {
                return false;
            }
        }
        return true;
    }
}
