package dev.vmwguest.hostsim.vsock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One GuestRPC packet on a vsock stream (transports.md sections 1.3 to 1.5):
 * fields 1 TYPE (INT64: 1 data, 2 ping), 2 PAYLOAD (STRING), 3 FAST_CLOSE
 * (INT64). Immutable.
 *
 * @param type      TYPE's low word, or {@link #NO_TYPE} when the field is absent
 * @param payload   PAYLOAD, or null when absent (an empty payload cannot be encoded)
 * @param fastClose whether FAST_CLOSE is present and non-zero
 */
record HostRpcPacket(long type, byte @Nullable [] payload, boolean fastClose) {

    static final int FIELD_TYPE = 1;
    static final int FIELD_PAYLOAD = 2;
    static final int FIELD_FAST_CLOSE = 3;
    static final long DATA = 1;
    static final long PING = 2;
    static final long NO_TYPE = -1;

    /** A host reply in the form the VMX is inferred to send: PAYLOAD only (transports.md section 1.3). */
    static byte[] encodeReply(byte[] payload) {
        return DataMap.encodePacket(Map.of(FIELD_PAYLOAD, payload));
    }

    /** A TCLO command pushed by the host: TYPE = DATA, then PAYLOAD. */
    static byte[] encodeData(byte[] payload) {
        Map<Integer, Object> fields = new LinkedHashMap<>();
        fields.put(FIELD_TYPE, DATA);
        fields.put(FIELD_PAYLOAD, payload);
        return DataMap.encodePacket(fields);
    }

    /**
     * Reads the GuestRPC fields from a decoded body. TYPE is read by its low word
     * and FAST_CLOSE as "non-zero", because VGAuth writes INT64 as one big-endian
     * 64-bit number (transports.md section 1.3, the INT64 quirk). Other fields are
     * ignored, as the VMX's readers do.
     */
    static HostRpcPacket decode(ByteBuffer body) throws DataMapException {
        Map<Integer, Object> fields = DataMap.decodeBody(body);
        Object type = fields.get(FIELD_TYPE);
        Object payload = fields.get(FIELD_PAYLOAD);
        Object fastClose = fields.get(FIELD_FAST_CLOSE);
        if (type != null && !(type instanceof Long)) {
            throw new DataMapException(DataMapException.Problem.BAD_FIELD, "TYPE is not an INT64");
        }
        if (payload != null && !(payload instanceof byte[])) {
            throw new DataMapException(DataMapException.Problem.BAD_FIELD, "PAYLOAD is not a STRING");
        }
        if (fastClose != null && !(fastClose instanceof Long)) {
            throw new DataMapException(DataMapException.Problem.BAD_FIELD, "FAST_CLOSE is not an INT64");
        }
        return new HostRpcPacket(type == null ? NO_TYPE : (Long) type & 0xFFFF_FFFFL, (byte[]) payload,
                fastClose != null && (Long) fastClose != 0);
    }

    /** Whether this is a heartbeat: TYPE = PING and no payload. */
    boolean heartbeat() {
        return type == PING && payload == null;
    }

    Optional<byte[]> payloadBytes() {
        return payload == null ? Optional.empty() : Optional.of(payload.clone());
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof HostRpcPacket p && type == p.type && fastClose == p.fastClose
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(type) * 31 + Arrays.hashCode(payload) + (fastClose ? 1 : 0);
    }

    @Override
    public String toString() {
        return "HostRpcPacket[type=" + type + ", payload="
                + (payload == null ? "none" : '"' + new String(payload, StandardCharsets.ISO_8859_1) + '"')
                + ", fastClose=" + fastClose + "]";
    }
}
