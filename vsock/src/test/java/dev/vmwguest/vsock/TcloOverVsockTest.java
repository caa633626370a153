package dev.vmwguest.vsock;

import static dev.vmwguest.rpc.TransportKind.BACKDOOR;
import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static dev.vmwguest.rpc.TransportKind.VSOCK_PRIVILEGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TcloEvents}, unchanged but for its transport, with TCLO pushed over
 * the vsock stand-in (transports.md 1.5), and falling back to polling the
 * backdoor when vsock cannot be had.
 */
class TcloOverVsockTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;
    private FakeVsockHost vsockHost;
    private final SimulatedHost backdoorHost = SimulatedHost.create();
    private TcloEvents events;

    @BeforeEach
    void startHost() throws Exception {
        vsockHost = FakeVsockHost.start(directory);
        vsockHost.rpciReply = request -> FakeVsockHost.packet("1 ");
    }

    @AfterEach
    void stopEverything() {
        if (events != null) {
            assertTimeoutPreemptively(WAIT, events::close);
        }
        vsockHost.close();
    }

    private TcloEvents start(GuestVsockStandIn standIn) {
        TransportSelector selector = TransportSelector.over(backdoorHost, TransportPolicy.defaults(),
                List.of(VsockTransportProvider.standIn(standIn, VsockSettings.defaults())));
        events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(selector).start();
        return events;
    }

    private String reply(String command) throws InterruptedException {
        vsockHost.tcloCommands.add(command);
        FakeVsockHost.Received received = vsockHost.nextTclo();
        while (received.packet().type() == GuestRpcPacket.TYPE_PING) {
            received = vsockHost.nextTclo();
        }
        return received.text();
    }

    @Test
    void theHostPushesCommandsAndEachIsAnsweredAtOnceOverVsock() throws Exception {
        start(GuestVsockStandIn.in(directory));

        assertThat(reply("reset")).isEqualTo("OK ATR toolbox");
        assertThat(reply("ping")).isEqualTo("OK ");
        assertThat(reply("Set_Option synctime 0")).isEqualTo("OK ");

        awaitState(TcloState.ATTACHED);
        TransportSelection selection = events.transportSelection().orElseThrow();
        assertThat(selection.chosen()).contains(VSOCK);
        assertThat(selection.refusal(VSOCK_PRIVILEGED)).get().extracting(TransportRefusal::reason)
                .isEqualTo(Reason.NOT_APPLICABLE);
        assertThat(vsockHost.connections).contains("975.sock");
        // The unified-loop announcement after the reset is RPCI, over vsock too.
        assertThat(vsockHost.rpci).extracting(FakeVsockHost.Received::text)
                .contains("vmx.capability.unified_loop toolbox");
        assertThat(backdoorHost.tclo().history()).isEmpty();
    }

    @Test
    void afterTheFirstReplyTheGuestSendsHeartbeats() throws Exception {
        start(GuestVsockStandIn.in(directory));
        assertThat(reply("reset")).isEqualTo("OK ATR toolbox");

        FakeVsockHost.Received next = vsockHost.nextTclo();

        assertThat(next.packet()).isEqualTo(GuestRpcPacket.ping());
        assertThat(next.socket()).isEqualTo("975.sock");
    }

    @Test
    void whenTheHostDropsTheConnectionTheLoopReconnectsAndIsResetAgain() throws Exception {
        start(GuestVsockStandIn.in(directory));
        assertThat(reply("reset")).isEqualTo("OK ATR toolbox");

        vsockHost.dropConnections();
        vsockHost.tclo.clear();

        assertThat(reply("reset")).isEqualTo("OK ATR toolbox");
        assertThat(vsockHost.connections.stream().filter("975.sock"::equals)).hasSize(2);
    }

    @Test
    void withoutVsockTclofallsBackToPollingTheBackdoor() throws Exception {
        start(GuestVsockStandIn.in(directory).withSocketError(VsockErrno.EAFNOSUPPORT));

        assertThat(backdoorHost.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");

        TransportSelection selection = events.transportSelection().orElseThrow();
        assertThat(selection.chosen()).contains(BACKDOOR);
        assertThat(selection.refusals()).extracting(TransportRefusal::reason)
                .containsExactly(Reason.NOT_APPLICABLE, Reason.UNAVAILABLE);
        assertThat(vsockHost.connections).isEmpty();
    }

    @Test
    void closingStopsABlockedPushLoopPromptly() {
        start(GuestVsockStandIn.in(directory));
        awaitState(TcloState.CONNECTING);

        assertTimeoutPreemptively(WAIT, events::close);
        assertThat(events.state()).isEqualTo(TcloState.CLOSED);
    }

    private void awaitState(TcloState wanted) {
        assertTimeoutPreemptively(WAIT, () -> {
            while (events.state() != wanted) {
                Thread.sleep(10);
            }
        });
        assertThat(Optional.of(events.state())).contains(wanted);
    }
}
