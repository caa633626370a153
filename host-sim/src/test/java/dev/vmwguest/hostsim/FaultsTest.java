package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.CPT;
import static dev.vmwguest.hostsim.RawGuest.HB;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static dev.vmwguest.hostsim.RawGuest.SUCCESS;
import static dev.vmwguest.hostsim.RawGuest.TCLO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Each fault of host-behaviour.md sections 6 and 7 that {@link Faults} offers. */
class FaultsTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final RawGuest g = RawGuest.opened(host, RPCI | COOKIE);
    private final byte[] log = "log checkpointed".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aCheckpointDuringTheLowBandwidthSendDropsThePartialMessageAndTheRestartWorks() {
        host.faults().checkpointOnce(MessageType.SEND_PAYLOAD);

        assertThat(g.send(log, true)).isEqualTo(CPT);
        assertThat(g.rpci("log checkpointed", true)).isEqualTo("1 ");

        assertThat(host.log()).containsExactly("checkpointed");
        assertThat(host.calls().checkpointsServed()).isEqualTo(1);
        assertThat(host.faults().pending()).isEmpty();
    }

    @Test
    void aCheckpointOnTheHighBandwidthTransfersIsServedToo() {
        host.faults().checkpointOnce(MessageType.SEND_PAYLOAD).checkpointOnce(MessageType.RECEIVE_PAYLOAD);

        assertThat(g.send(log, false)).isEqualTo(CPT);
        assertThat(g.send(log, false)).isEqualTo(SUCCESS);
        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0) & HB).isEqualTo(HB);
        g.frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(g.id, 0x5659), g.cookieHigh, 0, g.cookieLow);
        host.receive(g.frame, ByteBuffer.allocate(2));
        assertThat(RegisterFrame.high16(g.frame.bx())).isEqualTo(CPT);

        assertThat(g.receive(false)).asString(StandardCharsets.US_ASCII).isEqualTo("1 "); // offered again
    }

    @Test
    void aCheckpointOnReceiveStatusKeepsTheReplyQueued() {
        host.guestInfo().put("k", "v");
        host.faults().checkpointOnce(MessageType.RECEIVE_STATUS);
        g.send("info-get guestinfo.k".getBytes(StandardCharsets.US_ASCII), false);
        g.lb(MessageType.RECEIVE_SIZE, 0);
        g.lb(MessageType.RECEIVE_PAYLOAD, 1);
        g.lb(MessageType.RECEIVE_PAYLOAD, 1);

        assertThat(g.lb(MessageType.RECEIVE_STATUS, 1)).isEqualTo(CPT);
        assertThat(g.receive(true)).asString(StandardCharsets.US_ASCII).isEqualTo("1 v");
    }

    @Test
    void countedCheckpointsEndSoARetryingGuestCannotHang() {
        host.faults().checkpoint(MessageType.SEND_PAYLOAD, 3);

        int attempts = 0;
        while (g.send(log, true) == CPT) {
            attempts++;
        }
        assertThat(attempts).isEqualTo(3);
        assertThat(host.calls().checkpointsServed()).isEqualTo(3);
    }

    @Test
    void theHostClosingTheChannelMidMessageAnswersAsForADeadChannel() {
        host.faults().closeChannelOn(MessageType.SEND_PAYLOAD);

        assertThat(g.send(log, true)).isZero();
        assertThat(host.openChannels()).isZero();
        assertThat(g.lb(MessageType.SEND_SIZE, 1)).isZero();
    }

    @Test
    void refusedOpensFailUntilTheToggleIsCleared() {
        host.faults().refuseOpens(true);
        assertThat(new RawGuest(host).open(RPCI | COOKIE)).isZero();

        host.faults().refuseOpens(false);
        assertThat(new RawGuest(host).open(RPCI | COOKIE)).isEqualTo(SUCCESS);
    }

    @Test
    void lowBandwidthOnlyHidesTheHighBandwidthBit() {
        host.faults().lowBandwidthOnly(true);
        assertThat(g.lb(MessageType.SEND_SIZE, 0)).isEqualTo(SUCCESS);

        host.faults().lowBandwidthOnly(false);
        assertThat(g.lb(MessageType.SEND_SIZE, 0)).isEqualTo(SUCCESS | HB);
    }

    @Test
    void anOversizedAnnouncedLengthIsReportedAsUnsignedAndTheErrorAckDropsIt() {
        host.faults().announceReplyLength(-1);
        g.send(log, false);

        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0) & RawGuest.DORECV).isNotZero();
        assertThat(Integer.toUnsignedLong(g.frame.bx())).isEqualTo(0xFFFF_FFFFL);
        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 0)).isEqualTo(SUCCESS); // guest refuses: dropped
        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(SUCCESS);
        assertThat(g.frame.bx()).isZero();
    }

    @Test
    void anInvalidUtf8ReplyIsDelivered() {
        host.faults().invalidUtf8Reply();
        byte[] reply = sendAndReceive("log x");

        assertThat(reply).startsWith('1', ' ');
        Assertions.assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(reply)))
                .isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void aStallDelaysTheCallOnce() {
        host.faults().stall(MessageType.RECEIVE_SIZE, Duration.ofMillis(200));
        g.send(log, false);

        assertThat(host.faults().pending()).containsExactly("stall on RECEIVE_SIZE");
        long start = System.nanoTime();
        g.lb(MessageType.RECEIVE_SIZE, 0);
        // A lower bound only: the stall is a sleep, so it cannot be shorter; how much longer depends on the machine.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        // Once: the fault is spent, not timed (no upper bound on a loaded CI machine).
        assertThat(host.faults().pending()).isEmpty();
    }

    @Test
    void failingHighBandwidthCallsLeaveTheLowBandwidthPathWorking() {
        host.faults().hbCallsFail(1);

        assertThat(g.send(log, false)).isZero();
        assertThat(g.rpci("log checkpointed", true)).isEqualTo("1 ");
    }

    @Test
    void aWrongEchoIsReported() {
        host.faults().wrongEchoOnce();
        g.send(log, false);
        g.lb(MessageType.RECEIVE_SIZE, 0);

        assertThat(RegisterFrame.high16(g.frame.dx())).isNotEqualTo(1);
    }

    @Test
    void aMissingReplyLooksLikeNoMessage() {
        host.faults().noReplyOnce();
        g.send(log, false);

        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(SUCCESS);
    }

    @Test
    void aForcedStatusIsAnsweredOnce() {
        host.faults().statusOnce(MessageType.RECEIVE_SIZE, 0x0008);

        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(0x0008);
        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(SUCCESS);
    }

    @Test
    void whenTheAppNameIsTakenTheChannelOnlyEverSeesResetsAndErrors() {
        host.faults().appNameTaken(true);
        host.tclo().send("ping");
        for (int restart = 0; restart < 3; restart++) {
            RawGuest tclo = RawGuest.opened(host, TCLO | COOKIE);
            assertThat(tclo.poll("")).isEqualTo("reset");
            tclo.send("OK ATR toolbox".getBytes(StandardCharsets.US_ASCII), false);
            assertThat(tclo.lb(MessageType.RECEIVE_SIZE, 0)).isZero();
        }
        assertThat(host.tclo().pending()).containsExactly("ping");
    }

    @Test
    void clearDisarmsEverything() {
        host.faults().checkpoint(MessageType.SEND_SIZE, 5).refuseOpens(true).appNameTaken(true).hbCallsFail(2);
        assertThat(host.faults().pending()).hasSize(4);

        host.faults().clear();
        assertThat(host.faults().pending()).isEmpty();
        assertThat(g.rpci("log fine")).isEqualTo("1 ");
    }

    private byte[] sendAndReceive(String request) {
        g.send(request.getBytes(StandardCharsets.US_ASCII), false);
        return g.receive(false);
    }
}
