package dev.vmwguest.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The DataMap codec against the byte examples of shared/protocol/transports.md
 * section 1.3, which were produced with open-vm-tools' own serializer.
 */
class GuestRpcPacketTest {

    private static byte[] body(byte[] packet) {
        return Arrays.copyOfRange(packet, 4, packet.length);
    }

    @Test
    void anRpciRequestWithFastCloseIsTheFactSheetsFiftyTwoBytes() {
        byte[] packet = GuestRpcPacket.data("ping".getBytes(StandardCharsets.US_ASCII), true).encode();

        assertThat(Hex.of(packet)).isEqualTo(Hex.of(Hex.bytes("00000030 00000001 00000001 00000001 00000000 "
                + "00000002 00000002 00000004 70696e67 00000001 00000003 00000001 00000000")));
    }

    @Test
    void theHeartbeatIsTheFactSheetsTwentyBytes() {
        assertThat(Hex.of(GuestRpcPacket.ping().encode()))
                .isEqualTo(Hex.of(Hex.bytes("00000010 00000001 00000001 00000002 00000000")));
    }

    @Test
    void aRequestOfNBytesIsThirtyTwoPlusN() {
        byte[] payload = new byte[1000];
        assertThat(GuestRpcPacket.data(payload, false).encode()).hasSize(4 + 16 + 12 + 1000);
        assertThat(GuestRpcPacket.data(payload, true).encode()).hasSize(4 + 16 + 12 + 1000 + 16);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00000001 00000001 00000001 00000000 00000002 00000002 00000002 3120",   // TYPE + PAYLOAD (govmomi)
        "00000002 00000002 00000002 3120",                                        // PAYLOAD only (the VMX, inferred)
        "00000002 00000002 00000002 3120 00000001 00000001 00000001 00000000",   // PAYLOAD first
    })
    void bothReplyFormsDecodeToTheSamePayload(String hex) {
        GuestRpcPacket reply = GuestRpcPacket.decode(Hex.bytes(hex));

        assertThat(reply.payload()).get().isEqualTo("1 ".getBytes(StandardCharsets.US_ASCII));
        assertThat(reply.fastClose()).isFalse();
    }

    @Test
    void vgauthsBigEndianInt64IsReadByLowWordForTypeAndAsNonZeroForFastClose() {
        // VGAuth order and INT64 form: TYPE, FAST_CLOSE, PAYLOAD, each INT64 as 00000000 00000001.
        GuestRpcPacket packet = GuestRpcPacket.decode(Hex.bytes("00000001 00000001 00000000 00000001 "
                + "00000001 00000003 00000000 00000001 00000002 00000002 00000001 41"));

        assertThat(packet.type()).isNotEqualTo(GuestRpcPacket.TYPE_PING);
        assertThat(packet.fastClose()).isTrue();
        assertThat(packet.payload()).get().isEqualTo(new byte[] {'A'});
    }

    @Test
    void anEmptyBodyIsAnEmptyMapWithoutPayload() {
        GuestRpcPacket packet = GuestRpcPacket.decode(new byte[0]);

        assertThat(packet.payload()).isEmpty();
        assertThat(packet.type()).isZero();
    }

    @Test
    void extraFieldsOfEveryTypeAreSkipped() {
        GuestRpcPacket packet = GuestRpcPacket.decode(Hex.bytes("00000001 00000007 00000005 00000000 "
                + "00000002 00000008 00000001 5a "
                + "00000003 00000009 00000002 00000001 00000000 00000002 00000000 "
                + "00000004 0000000a 00000002 00000001 61 00000002 6263 "
                + "00000002 00000002 00000002 3020"));

        assertThat(packet.payload()).get().isEqualTo("0 ".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "header cut short              | 00000002 000000                                  | truncated",
        "INT64 cut short               | 00000001 00000001 00000001                       | truncated",
        "entry type 0                  | 00000000 00000001 00000001 00000000              | unknown entry type 0",
        "entry type 5                  | 00000005 00000001 00000001 00000000              | unknown entry type 5",
        "string of length 0            | 00000002 00000002 00000000                       | string length 0",
        "negative string length        | 00000002 00000002 ffffffff 41                    | string length -1",
        "string longer than the body   | 00000002 00000002 7fffffff 41                    | only 1 bytes left",
        "repeated field                | 00000002 00000002 00000001 41 00000002 00000002 00000001 42 | field 2 repeated",
        "payload as INT64              | 00000001 00000002 00000001 00000000              | not a string",
        "type as string                | 00000002 00000001 00000001 41                    | not an INT64",
        "payload as list               | 00000004 00000002 00000000                       | is a list",
        "list element past the end     | 00000004 00000009 00000001 00000010 41           | does not fit",
        "negative list count           | 00000003 00000009 80000000                       | list count",
    })
    void malformedBodiesAreRejectedWithATypedErrorNamingTheProblem(String what, String hex, String problem) {
        assertThatThrownBy(() -> GuestRpcPacket.decode(Hex.bytes(hex)))
                .isInstanceOf(DataMapFormatException.class)
                .hasMessageContaining(problem.trim());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 255, 65_536})
    void payloadsSurviveARoundTripByteForByte(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 7 + 1);
        }
        GuestRpcPacket sent = GuestRpcPacket.data(payload, size % 2 == 0);

        byte[] packet = sent.encode();
        GuestRpcPacket received = GuestRpcPacket.decode(body(packet));

        assertThat(received).isEqualTo(sent);
        assertThat(java.nio.ByteBuffer.wrap(packet).getInt()).isEqualTo(packet.length - 4);
    }

    @Test
    void anEmptyMessageIsSentWithoutAPayloadFieldBecauseADataMapStringCannotBeEmpty() {
        byte[] packet = GuestRpcPacket.data(new byte[0], false).encode();

        assertThat(Hex.of(packet)).isEqualTo("00000010" + "00000001" + "00000001" + "00000001" + "00000000");
        assertThat(GuestRpcPacket.decode(body(packet)).payload()).isEmpty();
    }

    @Test
    void theDescriptionNeverShowsThePayload() {
        assertThat(GuestRpcPacket.data("info-set guestinfo.password hunter2".getBytes(StandardCharsets.UTF_8), false))
                .hasToString("GuestRpcPacket[DATA, 35 bytes]");
    }
}
