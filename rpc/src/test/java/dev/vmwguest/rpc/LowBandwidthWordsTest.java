package dev.vmwguest.rpc;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 4-bytes-per-call packing of guestrpc-channel.md sections 4.4 and 4.7:
 * byte k of a chunk in bits 8k+7..8k, a short tail zero-padded, nothing read
 * or written past the end. Plus the status bit names used in every message.
 */
class LowBandwidthWordsTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "3, 1", "4, 1", "5, 2", "8, 2", "1023, 256", "1024, 256", "65536, 16384"})
    void oneWordPerFourBytesRoundedUp(int length, int words) {
        assertThat(LowBandwidthWords.wordCount(length)).isEqualTo(words);
    }

    @Test
    void bytesArePackedLittleEndianAsInTheWorkedExample() {
        ByteBuffer bytes = ByteBuffer.wrap("info-set guestinfo.foo bar".getBytes(US_ASCII));

        assertThat(LowBandwidthWords.pack(bytes, 0, 26)).isEqualTo(0x6F666E69);   // "info"
        assertThat(LowBandwidthWords.pack(bytes, 24, 26)).isEqualTo(0x00007261);  // "ar", zero-padded
    }

    @Test
    void highBytesAreNotSignExtendedIntoTheirNeighbours() {
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0x00, (byte) 0x80, 0x7F});

        assertThat(LowBandwidthWords.pack(bytes, 0, 4)).isEqualTo(0x7F8000FF);
        assertThat(LowBandwidthWords.pack(bytes, 0, 1)).isEqualTo(0x000000FF);
        assertThat(LowBandwidthWords.pack(bytes, 2, 3)).isEqualTo(0x00000080);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void everyTailSurvivesPackAndUnpackWithoutTouchingBytesPastTheEnd(int length) {
        byte[] message = new byte[length];
        for (int i = 0; i < length; i++) {
            message[i] = (byte) (0xF0 + i);
        }
        // Buffers of exactly the message's size: any access past the end would throw.
        ByteBuffer source = ByteBuffer.wrap(message);
        ByteBuffer target = ByteBuffer.allocate(length);

        for (int index = 0; index < length; index += 4) {
            LowBandwidthWords.unpack(LowBandwidthWords.pack(source, index, length), target, index, length);
        }

        assertThat(target.array()).isEqualTo(message);
        assertThat(source.position()).isZero();
        assertThat(target.position()).isZero();
    }

    @Test
    void unpackWritesOnlyTheTailBytes() {
        ByteBuffer target = ByteBuffer.wrap(new byte[] {9, 9, 9, 9, 9, 9});

        LowBandwidthWords.unpack(0x44332211, target, 4, 6);

        assertThat(target.array()).containsExactly(9, 9, 9, 9, 0x11, 0x22);
    }

    @Test
    void statusBitsAreNamedAsTheFactSheetNamesThem() {
        assertThat(MessageStatus.describe(0x0011)).isEqualTo("0x0011 = SUCCESS|CHECKPOINT");
        assertThat(MessageStatus.describe(0x0083)).isEqualTo("0x0083 = SUCCESS|DORECV|HIGH_BANDWIDTH");
        assertThat(MessageStatus.describe(0)).isEqualTo("0x0000 = none");
        assertThat(MessageStatus.describe(0x0104)).isEqualTo("0x0104 = CLOSED|0x0100");
        assertThat(MessageStatus.isSuccess(0x0081)).isTrue();
        assertThat(MessageStatus.isSuccess(0x0010)).isFalse();
    }

    @Test
    void onlyPayloadAndStatusStepsHonourCheckpoints() {
        assertThat(MessageStep.values()).filteredOn(MessageStep::honoursCheckpoint).containsExactlyInAnyOrder(
                MessageStep.SEND_PAYLOAD, MessageStep.RECEIVE_PAYLOAD, MessageStep.RECEIVE_STATUS,
                MessageStep.SEND_PAYLOAD_HIGH_BANDWIDTH, MessageStep.RECEIVE_PAYLOAD_HIGH_BANDWIDTH);
        assertThat(MessageStep.SEND_PAYLOAD_HIGH_BANDWIDTH.code()).isEqualTo(MessageStep.SEND_PAYLOAD.code());
        assertThat(RpcProtocol.RPCI.number()).isEqualTo(0x49435052);   // "RPCI", guestrpc-channel.md section 1
        assertThat(RpcProtocol.TCLO.number()).isEqualTo(0x4F4C4354);   // "TCLO"
    }
}
