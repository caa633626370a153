package dev.vmwguest.hostsim.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host's DataMap codec against the byte examples of shared/protocol/transports.md
 * section 1.3, which were produced with open-vm-tools' own serializer.
 */
class DataMapTest {

    /** transports.md 1.3: RPCI request {@code ping} with FAST_CLOSE, 52 bytes. */
    static final String PING_REQUEST = "00000030 00000001 00000001 00000001 00000000 00000002 00000002 00000004 "
            + "70696e67 00000001 00000003 00000001 00000000";
    /** transports.md 1.3: TCLO heartbeat, TYPE = PING and no payload, 20 bytes. */
    static final String HEARTBEAT = "00000010 00000001 00000001 00000002 00000000";
    /** transports.md 1.3: reply {@code 1 } with TYPE and PAYLOAD, as govmomi's server writes it. */
    static final String GOVMOMI_REPLY = "0000001e 00000001 00000001 00000001 00000000 00000002 00000002 00000002 3120";
    /** transports.md 1.3: reply {@code 1 } with PAYLOAD only, the form the VMX is inferred to send. */
    static final String VMX_REPLY = "0000000e 00000002 00000002 00000002 3120";

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static HostRpcPacket read(byte[] packet) throws Exception {
        ByteBuffer body = DataMap.readPacket(channel(packet), DataMap.DEFAULT_MAX_BODY);
        assertThat(body).isNotNull();
        return HostRpcPacket.decode(body);
    }

    static ReadableByteChannel channel(byte[] bytes) {
        return Channels.newChannel(new ByteArrayInputStream(bytes));
    }

    @Test
    void decodesTheFactSheetsRequestHeartbeatAndBothReplyForms() throws Exception {
        assertThat(read(hex(PING_REQUEST)))
                .isEqualTo(new HostRpcPacket(HostRpcPacket.DATA, "ping".getBytes(StandardCharsets.US_ASCII), true));
        HostRpcPacket heartbeat = read(hex(HEARTBEAT));
        assertThat(heartbeat.heartbeat()).isTrue();
        assertThat(heartbeat.fastClose()).isFalse();
        assertThat(read(hex(GOVMOMI_REPLY)).payload()).containsExactly('1', ' ');
        HostRpcPacket vmx = read(hex(VMX_REPLY));
        assertThat(vmx.payload()).containsExactly('1', ' ');
        assertThat(vmx.type()).isEqualTo(HostRpcPacket.NO_TYPE);
    }

    @Test
    void encodesTheFactSheetsBytesExactly() {
        assertThat(HostRpcPacket.encodeReply(new byte[] {'1', ' '})).isEqualTo(hex(VMX_REPLY));
        assertThat(HostRpcPacket.encodeData(new byte[] {'1', ' '})).isEqualTo(hex(GOVMOMI_REPLY));
        Map<Integer, Object> request = new LinkedHashMap<>();
        request.put(HostRpcPacket.FIELD_TYPE, HostRpcPacket.DATA);
        request.put(HostRpcPacket.FIELD_PAYLOAD, "ping".getBytes(StandardCharsets.US_ASCII));
        request.put(HostRpcPacket.FIELD_FAST_CLOSE, 1L);
        assertThat(DataMap.encodePacket(request)).isEqualTo(hex(PING_REQUEST));
        assertThat(DataMap.encodePacket(Map.of(HostRpcPacket.FIELD_TYPE, HostRpcPacket.PING))).isEqualTo(hex(HEARTBEAT));
    }

    @Test
    void int64IsLowWordFirstAndVgauthsBigEndianFormIsReadByTheLowWord() throws Exception {
        byte[] encoded = DataMap.encodePacket(Map.of(9, 0x1122_3344_5566_7788L));
        assertThat(encoded).isEqualTo(hex("00000010 00000001 00000009 55667788 11223344"));

        // VGAuth writes 1 as 00000000 00000001: the reference decoder sees 2^32 (transports.md 1.3).
        byte[] vgauth = hex("00000020 00000001 00000001 00000000 00000001 00000001 00000003 00000000 00000001");
        HostRpcPacket packet = read(vgauth);
        assertThat(packet.type()).as("TYPE by its low word").isZero();
        assertThat(packet.fastClose()).as("FAST_CLOSE as non-zero").isTrue();
        assertThat(packet.heartbeat()).isFalse();
    }

    @Test
    void fieldOrderDoesNotMatterAndExtraFieldsAndListsAreAccepted() throws Exception {
        Map<Integer, Object> fields = new LinkedHashMap<>();
        fields.put(7, new long[] {1, -1});
        fields.put(8, new byte[][] {{'a'}, {'b', 'c'}});
        fields.put(HostRpcPacket.FIELD_FAST_CLOSE, 1L); // VGAuth's order: FAST_CLOSE before PAYLOAD
        fields.put(HostRpcPacket.FIELD_PAYLOAD, new byte[] {'x', 0, 'y'});
        HostRpcPacket packet = read(DataMap.encodePacket(fields));
        assertThat(packet.payload()).containsExactly('x', 0, 'y');
        assertThat(packet.fastClose()).isTrue();

        Map<Integer, Object> decoded = DataMap.decodeBody(ByteBuffer.wrap(DataMap.encodePacket(fields), 4,
                DataMap.encodePacket(fields).length - 4));
        assertThat((long[]) decoded.get(7)).containsExactly(1, -1);
        assertThat(((byte[][]) decoded.get(8))[1]).containsExactly('b', 'c');
    }

    @Test
    void anEmptyBodyIsAPacketWithoutPayloadAndACleanEndOfStreamIsNoPacket() throws Exception {
        HostRpcPacket empty = read(hex("00000000"));
        assertThat(empty.payload()).isNull();
        assertThat(empty.type()).isEqualTo(HostRpcPacket.NO_TYPE);
        assertThat(DataMap.readPacket(channel(new byte[0]), 16)).isNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "TRUNCATED,       000000",                                            // half a length word
            "TRUNCATED,       00000010 00000001 00000001",                         // body shorter than announced
            "TRUNCATED,       00000008 00000001 00000001",                         // INT64 without its value
            "TRUNCATED,       0000000c 00000002 00000002 00000005",                // STRING longer than the body
            "TRUNCATED,       0000000c 00000003 00000007 7fffffff",                // INT64LIST count beyond the body
            "TRUNCATED,       0000000c 00000004 00000007 10000000",                // STRINGLIST count beyond the body
            "TRUNCATED,       00000009 00000001 00000001 00000000 00",             // trailing partial entry header
            "OVERSIZE,        00100001",                                           // 1 MiB + 1, nothing allocated
            "OVERSIZE,        ffffffff",                                           // 4 GiB - 1, nothing allocated
            "BAD_TYPE,        00000008 00000000 00000001",                         // type 0
            "BAD_TYPE,        00000008 00000005 00000001",                         // type 5
            "BAD_TYPE,        00000008 ffffffff 00000001",                         // type 2^32-1
            "BAD_LENGTH,      0000000c 00000002 00000002 00000000",                // empty STRING
            "BAD_LENGTH,      0000000c 00000002 00000002 80000000",                // negative STRING length
            "BAD_LENGTH,      0000000c 00000003 00000007 ffffffff",                // negative list count
            "DUPLICATE_FIELD, 00000020 00000001 00000001 00000001 00000000 00000001 00000001 00000002 00000000",
            "BAD_FIELD,       0000000d 00000002 00000001 00000001 41",             // TYPE as a STRING
            "BAD_FIELD,       00000010 00000001 00000002 00000001 00000000",       // PAYLOAD as an INT64
    })
    void malformedInputIsATypedErrorNamingTheProblem(DataMapException.Problem problem, String bytes) {
        assertThatThrownBy(() -> read(hex(bytes)))
                .isInstanceOfSatisfying(DataMapException.class, e -> assertThat(e.problem()).isEqualTo(problem))
                .hasMessageStartingWith(problem.name());
    }

    @Test
    void everySplitOfAPacketReadsTheSame() throws Exception {
        byte[] packet = hex(PING_REQUEST);
        HostRpcPacket whole = read(packet);
        for (int chunk = 1; chunk <= 4; chunk++) {
            int size = chunk;
            // A channel that hands out at most `size` bytes per read, as a slow socket would.
            ByteBuffer source = ByteBuffer.wrap(packet);
            ReadableByteChannel trickle = new ReadableByteChannel() {
                @Override
                public int read(ByteBuffer dst) {
                    if (!source.hasRemaining()) {
                        return -1;
                    }
                    int n = Math.min(size, Math.min(dst.remaining(), source.remaining()));
                    dst.put(source.array(), source.position(), n);
                    source.position(source.position() + n);
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
            assertThat(HostRpcPacket.decode(DataMap.readPacket(trickle, DataMap.DEFAULT_MAX_BODY)))
                    .as("%d-byte reads", size).isEqualTo(whole);
        }
        for (int cut = 1; cut < packet.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(packet, cut);
            assertThatThrownBy(() -> read(truncated)).as("cut at %d", cut)
                    .isInstanceOfSatisfying(DataMapException.class,
                            e -> assertThat(e.problem()).isEqualTo(DataMapException.Problem.TRUNCATED));
        }
    }
}
