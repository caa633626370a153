package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static dev.vmwguest.hostsim.RawGuest.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Protocol-order violations are answered with status 0 and counted, never
 * thrown (host-behaviour.md section 3).
 */
class ViolationTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final RawGuest g = RawGuest.opened(host, RPCI | COOKIE);

    @Test
    void aPayloadWithoutASizeFails() {
        assertThat(g.lb(MessageType.SEND_PAYLOAD, 0x676F6C)).isZero();
        assertThat(host.calls().violations()).isEqualTo(1);
        assertThat(g.rpci("log still usable")).isEqualTo("1 ");
    }

    @Test
    void aPayloadBeyondTheAnnouncedSizeFails() {
        g.lb(MessageType.SEND_SIZE, 3);
        assertThat(g.lb(MessageType.SEND_PAYLOAD, 0x00676F6C)).isEqualTo(SUCCESS);
        assertThat(g.lb(MessageType.SEND_PAYLOAD, 0x20202020)).isZero();
    }

    @Test
    void aSecondRequestBeforeTheReplyWasReadDropsTheFirstReplyAndCountsAViolation() {
        host.guestInfo().put("a", "first");
        host.guestInfo().put("b", "second");
        assertThat(g.send("info-get guestinfo.a".getBytes(StandardCharsets.US_ASCII), false)).isEqualTo(SUCCESS);
        assertThat(g.send("info-get guestinfo.b".getBytes(StandardCharsets.US_ASCII), false)).isEqualTo(SUCCESS);

        assertThat(host.calls().violations()).isEqualTo(1);
        assertThat(g.receive(false)).asString(StandardCharsets.US_ASCII).isEqualTo("1 second");
    }

    @Test
    void receiveSizeDuringAPartialSendFails() {
        g.lb(MessageType.SEND_SIZE, 8);
        g.lb(MessageType.SEND_PAYLOAD, 0x20676F6C);

        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isZero();
    }

    @Test
    void receivePayloadAndStatusWithNothingBeingReceivedFail() {
        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 1)).isZero();
        assertThat(g.lb(MessageType.RECEIVE_STATUS, 1)).isZero();
        assertThat(host.calls().violations()).isEqualTo(2);
    }

    @Test
    void readingPastTheEndOfTheHostMessageFails() {
        g.send("log x".getBytes(StandardCharsets.US_ASCII), true);
        g.lb(MessageType.RECEIVE_SIZE, 0);
        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 1)).isEqualTo(SUCCESS); // "1 "
        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 1)).isZero();
    }

    @Test
    void acknowledgingBeforeAllBytesWereFetchedFails() {
        host.guestInfo().put("long", "a long value");
        g.send("info-get guestinfo.long".getBytes(StandardCharsets.US_ASCII), true);
        g.lb(MessageType.RECEIVE_SIZE, 0);
        g.lb(MessageType.RECEIVE_PAYLOAD, 1);

        assertThat(g.lb(MessageType.RECEIVE_STATUS, 1)).isZero();
    }

    @Test
    void aHighBandwidthSendWithTheWrongCountFails() {
        g.lb(MessageType.SEND_SIZE, 10);
        assertThat(g.sendHb("log short".getBytes(StandardCharsets.US_ASCII))).isZero();
        assertThat(host.calls().violations()).isEqualTo(1);
    }

    @Test
    void aHighBandwidthReceiveWithTheWrongCountFails() {
        g.send("log x".getBytes(StandardCharsets.US_ASCII), false);
        g.lb(MessageType.RECEIVE_SIZE, 0);
        g.frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(g.id, 0x5659), g.cookieHigh, 0, g.cookieLow);
        host.receive(g.frame, ByteBuffer.allocate(5));

        assertThat(RegisterFrame.high16(g.frame.bx())).isZero();
    }

    @Test
    void highBandwidthCookiesAreCheckedInTheirDirectionSpecificRegisters() {
        byte[] request = "log x".getBytes(StandardCharsets.US_ASCII);
        g.lb(MessageType.SEND_SIZE, request.length);
        // Out: cookie high in bp, low in di. Swapping them (the common mistake) must fail.
        g.frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(g.id, 0x5659), 0, g.cookieHigh, g.cookieLow);
        host.send(g.frame, ByteBuffer.wrap(request));
        assertThat(RegisterFrame.high16(g.frame.bx())).isZero();

        assertThat(g.sendHb(request)).isEqualTo(SUCCESS);
    }

    @Test
    void anUndefinedSubCommandFails() {
        g.frame.set(Backdoor.MAGIC, 0, RegisterFrame.halves(7, 30), RegisterFrame.halves(g.id, 0x5658),
                g.cookieHigh, g.cookieLow, 0);
        host.call(g.frame);

        assertThat(RegisterFrame.high16(g.frame.cx())).isZero();
    }

    @Test
    void aClosedIdFailsEvenWithTheRightCookies() {
        g.close();
        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isZero();
        assertThat(host.calls().violations()).isEqualTo(1);
    }

    @Test
    void noViolationEverThrowsIntoTheGuest() {
        java.util.Random random = new java.util.Random(42);
        RegisterFrame frame = new RegisterFrame();
        for (int i = 0; i < 20_000; i++) {
            frame.set(Backdoor.MAGIC, random.nextInt(), RegisterFrame.halves(random.nextInt(8), 30),
                    RegisterFrame.halves(random.nextInt(4), 0x5658), random.nextInt(), random.nextInt(), random.nextInt());
            if (i % 5 == 0) {
                frame.bx(RPCI | (random.nextBoolean() ? COOKIE : 0)).cx(30);
            }
            host.call(frame);
            if (i % 7 == 0) {
                host.send(frame, ByteBuffer.allocate(random.nextInt(16)));
            }
            if (i % 11 == 0) {
                host.receive(frame, ByteBuffer.allocate(random.nextInt(16)));
            }
        }
        assertThat(host.calls().total()).isGreaterThan(20_000);
    }
}
