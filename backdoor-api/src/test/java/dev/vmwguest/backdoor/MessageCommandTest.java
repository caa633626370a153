package dev.vmwguest.backdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MESSAGE wire codes against guestrpc-channel.md sections 1 to 3. */
class MessageCommandTest {

    @Test
    void theSevenTypesAreNumberedZeroToSixInProtocolOrder() {
        assertThat(List.of(MessageCommand.OPEN, MessageCommand.SEND_SIZE, MessageCommand.SEND_PAYLOAD,
                MessageCommand.RECEIVE_SIZE, MessageCommand.RECEIVE_PAYLOAD, MessageCommand.RECEIVE_STATUS,
                MessageCommand.CLOSE)).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(MessageCommand.TYPES).isEqualTo(7);
    }

    @Test
    void theStatusBitsAreOneBitEachInTheFactSheetsOrder() {
        assertThat(List.of(MessageCommand.STATUS_SUCCESS, MessageCommand.STATUS_DORECV, MessageCommand.STATUS_CLOSED,
                MessageCommand.STATUS_UNSENT, MessageCommand.STATUS_CHECKPOINT, MessageCommand.STATUS_POWEROFF,
                MessageCommand.STATUS_TIMEOUT, MessageCommand.STATUS_HIGH_BANDWIDTH))
                .containsExactly(0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80);
    }

    @Test
    void theProtocolNumbersSpellTheirNamesInLittleEndianBytes() {
        assertThat(littleEndianText(MessageCommand.PROTOCOL_RPCI)).isEqualTo("RPCI");
        assertThat(littleEndianText(MessageCommand.PROTOCOL_TCLO)).isEqualTo("TCLO");
        assertThat(MessageCommand.FLAG_COOKIE).isEqualTo(1 << 31);
    }

    private static String littleEndianText(int number) {
        byte[] bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(number).array();
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
