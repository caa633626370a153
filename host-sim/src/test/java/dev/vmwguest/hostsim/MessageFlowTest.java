package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static dev.vmwguest.hostsim.RawGuest.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every sub-command's happy path over both paths: the worked examples of guestrpc-channel.md section 8. */
class MessageFlowTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void infoSetOverHighBandwidthIsSevenCallsWithTheDocumentedRegisters() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);
        byte[] request = "info-set guestinfo.foo bar".getBytes(StandardCharsets.US_ASCII);

        assertThat(g.lb(MessageType.SEND_SIZE, request.length)).isEqualTo(0x0081);
        assertThat(g.sendHb(request)).isEqualTo(SUCCESS);
        assertThat(g.frame.bx()).isEqualTo(0x0001_0000);

        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(0x0083);
        assertThat(g.frame.bx()).isEqualTo(2);
        assertThat(RegisterFrame.high16(g.frame.dx())).isEqualTo(1);

        byte[] reply = new byte[2];
        g.frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(g.id, 0x5659), g.cookieHigh, 0, g.cookieLow);
        host.receive(g.frame, ByteBuffer.wrap(reply));
        assertThat(g.frame.bx()).isEqualTo(0x0001_0000);
        assertThat(reply).containsExactly('1', ' ');

        assertThat(g.lb(MessageType.RECEIVE_STATUS, 1)).isEqualTo(SUCCESS);
        assertThat(g.close()).isEqualTo(SUCCESS);

        assertThat(host.calls().total()).isEqualTo(7);
        assertThat(host.calls().highBandwidthOut()).isEqualTo(1);
        assertThat(host.calls().highBandwidthIn()).isEqualTo(1);
        assertThat(host.calls().bytesToHost()).isEqualTo(26);
        assertThat(host.calls().bytesToGuest()).isEqualTo(2);
        assertThat(host.guestInfo().get("foo")).contains("bar");
        assertThat(host.calls().violations()).isZero();
    }

    @Test
    void infoSetOverLowBandwidthIsThirteenCallsWithTheDocumentedWords() {
        SimulatedHost lbHost = SimulatedHost.builder().highBandwidth(HostHighBandwidthMode.STRICT_LOW_BANDWIDTH).build();
        RawGuest g = RawGuest.opened(lbHost, RPCI | COOKIE);

        assertThat(g.lb(MessageType.SEND_SIZE, 26)).isEqualTo(SUCCESS);
        for (int word : new int[] {0x6F666E69, 0x7465732D, 0x65756720, 0x6E697473, 0x662E6F66, 0x62206F6F, 0x00007261}) {
            assertThat(g.lb(MessageType.SEND_PAYLOAD, word)).isEqualTo(SUCCESS);
        }
        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(0x0003);
        assertThat(g.frame.bx()).isEqualTo(2);
        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 1)).isEqualTo(SUCCESS);
        assertThat(g.frame.bx()).isEqualTo(0x0000_2031);
        assertThat(RegisterFrame.high16(g.frame.dx())).isEqualTo(2);
        assertThat(g.lb(MessageType.RECEIVE_STATUS, 1)).isEqualTo(SUCCESS);
        assertThat(g.close()).isEqualTo(SUCCESS);

        assertThat(lbHost.calls().total()).isEqualTo(13);
        assertThat(lbHost.calls().of(MessageType.SEND_PAYLOAD)).isEqualTo(7);
        assertThat(lbHost.guestInfo().get("guestinfo.foo")).contains("bar");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void everyLowBandwidthTailLengthArrivesIntact(int valueLength) {
        String value = "abcdefghi".substring(0, valueLength);
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);

        assertThat(g.rpci("info-set guestinfo.k " + value, true)).isEqualTo("1 ");
        assertThat(g.rpci("info-get guestinfo.k", true)).isEqualTo("1 " + value);
    }

    @Test
    void anEmptyMessageIsCompleteAtSendSize() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);

        assertThat(g.lb(MessageType.SEND_SIZE, 0) & SUCCESS).isEqualTo(SUCCESS);
        assertThat(g.receive(false)).asString(StandardCharsets.US_ASCII).isEqualTo("0 Unknown command");
    }

    @Test
    void aMessageOf65536BytesIsAcceptedAndOneMoreIsRefusedAtSendSize() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);
        byte[] request = new byte[65_536];
        Arrays.fill(request, (byte) 'v');
        byte[] prefix = "info-set guestinfo.big ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, request, 0, prefix.length);

        assertThat(g.send(request, false)).isEqualTo(SUCCESS);
        assertThat(g.receive(false)).asString(StandardCharsets.US_ASCII).isEqualTo("1 ");
        assertThat(host.guestInfo().get("big")).hasValueSatisfying(v -> assertThat(v).hasSize(65_536 - prefix.length));

        assertThat(g.lb(MessageType.SEND_SIZE, 65_537)).isZero();
        assertThat(host.calls().violations()).isEqualTo(1);
    }

    @Test
    void aLowBandwidthOnlyHostNeverOffersTheBitButStillAcceptsTransfers() {
        SimulatedHost lbOnly = SimulatedHost.builder().highBandwidth(HostHighBandwidthMode.LOW_BANDWIDTH_ONLY).build();
        RawGuest g = RawGuest.opened(lbOnly, RPCI | COOKIE);
        byte[] request = "log openbsd style".getBytes(StandardCharsets.US_ASCII);

        assertThat(g.lb(MessageType.SEND_SIZE, request.length)).isEqualTo(SUCCESS); // no HB bit
        assertThat(g.sendHb(request)).isEqualTo(SUCCESS);                             // HB used anyway works
        assertThat(lbOnly.log()).containsExactly("openbsd style");
    }

    @Test
    void anEncryptedMemoryHostRefusesHighBandwidthTransfers() {
        SimulatedHost sev = SimulatedHost.builder().highBandwidth(HostHighBandwidthMode.ENCRYPTED_MEMORY).build();
        RawGuest g = RawGuest.opened(sev, RPCI | COOKIE);
        byte[] request = "log x".getBytes(StandardCharsets.US_ASCII);

        assertThat(g.lb(MessageType.SEND_SIZE, request.length)).isEqualTo(SUCCESS);
        assertThat(g.sendHb(request)).isZero();
        assertThat(g.rpci("log y", true)).isEqualTo("1 ");
    }

    @Test
    void receiveSizeWithNothingQueuedAnswersSuccessAndZero() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);

        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0x1234)).isEqualTo(SUCCESS);
        assertThat(g.frame.bx()).isZero();
    }

    @Test
    void aCheckpointRestartedReceiveOffersTheSameMessageFromByteZero() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);
        host.guestInfo().put("k", "restart me");
        assertThat(g.send("info-get guestinfo.k".getBytes(StandardCharsets.US_ASCII), true)).isEqualTo(SUCCESS);

        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0) & SUCCESS).isEqualTo(SUCCESS);
        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 1)).isEqualTo(SUCCESS);
        assertThat(g.receive(true)).asString(StandardCharsets.US_ASCII).isEqualTo("1 restart me");
    }

    @Test
    void theSameChannelCarriesManyRequests() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);
        for (int i = 0; i < 50; i++) {
            assertThat(g.rpci("info-set guestinfo.n " + i)).isEqualTo("1 ");
        }
        assertThat(host.guestInfo().get("n")).contains("49");
        assertThat(host.calls().of(MessageType.OPEN)).isEqualTo(1);
    }
}
