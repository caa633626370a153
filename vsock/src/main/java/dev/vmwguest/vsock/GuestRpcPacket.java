package dev.vmwguest.vsock;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One GuestRPC packet as carried on both vsock ports: a DataMap (transports.md
 * section 1.3) of up to three fields. Everything on the wire is big-endian; an
 * INT64 is written low 32-bit word first.
 *
 * <pre>
 * packet = length:u32  body[length]
 * entry  = type:u32  fieldId:u32  value
 * INT64 (1) = low:u32 high:u32;  STRING (2) = len:u32 bytes[len], len &gt;= 1
 * INT64LIST (3) = count:u32 INT64*count;  STRINGLIST (4) = count:u32 (len:u32 bytes[len])*count
 * </pre>
 *
 * <p>Encoding writes TYPE, PAYLOAD, FAST_CLOSE in that order, as
 * open-vm-tools' serializer does. Decoding accepts any order and extra
 * fields, reads TYPE by its low word and FAST_CLOSE as "non-zero", because
 * VGAuth writes INT64 as one big-endian 64-bit number and the host evidently
 * accepts that. Immutable.
 */
final class GuestRpcPacket {

    static final int FIELD_TYPE = 1;
    static final int FIELD_PAYLOAD = 2;
    static final int FIELD_FAST_CLOSE = 3;
    static final int TYPE_DATA = 1;
    static final int TYPE_PING = 2;

    private static final int ENTRY_INT64 = 1;
    private static final int ENTRY_STRING = 2;
    private static final int ENTRY_INT64_LIST = 3;
    private static final int ENTRY_STRING_LIST = 4;
    private static final int HEADER = 8;   // type and field id

    private final int type;
    private final byte @Nullable [] payload;
    private final boolean fastClose;

    private GuestRpcPacket(int type, byte @Nullable [] payload, boolean fastClose) {
        this.type = type;
        this.payload = payload;
        this.fastClose = fastClose;
    }

    /**
     * A DATA packet with {@code payload}. An empty payload is sent as no
     * PAYLOAD field at all: a DataMap string cannot be empty.
     */
    static GuestRpcPacket data(byte[] payload, boolean fastClose) {
        return new GuestRpcPacket(TYPE_DATA, payload.length == 0 ? null : payload.clone(), fastClose);
    }

    /** The TCLO heartbeat: TYPE = PING, no payload. */
    static GuestRpcPacket ping() {
        return new GuestRpcPacket(TYPE_PING, null, false);
    }

    int type() {
        return type;
    }

    Optional<byte[]> payload() {
        return payload == null ? Optional.empty() : Optional.of(payload.clone());
    }

    boolean fastClose() {
        return fastClose;
    }

    /** The whole packet, length prefix included. */
    byte[] encode() {
        int body = HEADER + 8 + (payload != null ? HEADER + 4 + payload.length : 0) + (fastClose ? HEADER + 8 : 0);
        ByteBuffer out = ByteBuffer.allocate(4 + body);
        out.putInt(body);
        putInt64(out, FIELD_TYPE, type);
        if (payload != null) {
            out.putInt(ENTRY_STRING).putInt(FIELD_PAYLOAD).putInt(payload.length).put(payload);
        }
        if (fastClose) {
            putInt64(out, FIELD_FAST_CLOSE, 1);
        }
        return out.array();
    }

    private static void putInt64(ByteBuffer out, int field, long value) {
        out.putInt(ENTRY_INT64).putInt(field).putInt((int) value).putInt((int) (value >>> 32));
    }

    /**
     * Decodes one packet body (the bytes after the length prefix). An empty
     * body is a valid empty map: a packet without TYPE and PAYLOAD.
     *
     * @throws DataMapFormatException if the body breaks any DataMap rule
     */
    static GuestRpcPacket decode(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        Set<Integer> seen = new HashSet<>();
        long type = 0;
        byte[] payload = null;
        long fastClose = 0;
        while (in.hasRemaining()) {
            int at = in.position();
            try {
                int entryType = in.getInt();
                int field = in.getInt();
                if (!seen.add(field)) {
                    throw new DataMapFormatException("field " + Integer.toUnsignedString(field) + " repeated", at);
                }
                switch (entryType) {
                    case ENTRY_INT64 -> {
                        long value = Integer.toUnsignedLong(in.getInt()) | (long) in.getInt() << 32;
                        if (field == FIELD_TYPE) {
                            type = value;
                        } else if (field == FIELD_FAST_CLOSE) {
                            fastClose = value;
                        } else if (field == FIELD_PAYLOAD) {
                            throw new DataMapFormatException("PAYLOAD (field 2) is an INT64, not a string", at);
                        }
                    }
                    case ENTRY_STRING -> {
                        byte[] value = string(in, at);
                        if (field == FIELD_PAYLOAD) {
                            payload = value;
                        } else if (field == FIELD_TYPE || field == FIELD_FAST_CLOSE) {
                            throw new DataMapFormatException("field " + field + " is a string, not an INT64", at);
                        }
                    }
                    case ENTRY_INT64_LIST -> skipList(in, at, field, 8);
                    case ENTRY_STRING_LIST -> skipList(in, at, field, -1);
                    default -> throw new DataMapFormatException("unknown entry type "
                            + Integer.toUnsignedString(entryType), at);
                }
            } catch (BufferUnderflowException truncated) {
                throw new DataMapFormatException("entry truncated: the body ends inside it", at);
            }
        }
        // TYPE by its low word, FAST_CLOSE as non-zero: see the class comment.
        return new GuestRpcPacket((int) type, payload, fastClose != 0);
    }

    /** A STRING value; its length is checked against what is left before anything is allocated. */
    private static byte[] string(ByteBuffer in, int at) {
        int length = in.getInt();
        if (length <= 0) {
            throw new DataMapFormatException("string length " + length + " (must be at least 1)", at);
        }
        if (length > in.remaining()) {
            throw new DataMapFormatException("string length " + length + " but only " + in.remaining()
                    + " bytes left", at);
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }

    private static void skipList(ByteBuffer in, int at, int field, int elementSize) {
        if (field == FIELD_TYPE || field == FIELD_PAYLOAD || field == FIELD_FAST_CLOSE) {
            throw new DataMapFormatException("GuestRPC field " + field + " is a list", at);
        }
        int count = in.getInt();
        if (count < 0) {
            throw new DataMapFormatException("list count " + count, at);
        }
        for (int i = 0; i < count; i++) {
            int size = elementSize > 0 ? elementSize : in.getInt();
            if (size <= 0 || size > in.remaining()) {
                throw new DataMapFormatException("list element " + i + " of " + size + " bytes does not fit", at);
            }
            in.position(in.position() + size);
        }
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof GuestRpcPacket packet && type == packet.type && fastClose == packet.fastClose
                && Arrays.equals(payload, packet.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + Arrays.hashCode(payload)) + Boolean.hashCode(fastClose);
    }

    /** {@code GuestRpcPacket[DATA, 6 bytes, fast close]}; never the payload (it may hold credentials). */
    @Override
    public String toString() {
        return "GuestRpcPacket[" + (type == TYPE_PING ? "PING" : type == TYPE_DATA ? "DATA" : "type " + type)
                + (payload == null ? ", no payload" : ", " + payload.length + " bytes")
                + (fastClose ? ", fast close" : "") + "]";
    }
}
