package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.hostsim.GuestPowerOperation;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 against the simulated host, through the wire and the host's own
 * clock registers: each test is a place where the loop used to die or to
 * differ from VMware Tools (open-vm-tools file:line in each test).
 */
class TcloToolsParityTest {

    private static final Instant GUEST = Instant.parse("2026-11-23T00:00:00Z");

    private SimulatedHost host = SimulatedHost.create();
    private final CountingLogger.Changes changes = new CountingLogger.Changes();
    private final List<ClockAdjustment> adjustments = new CopyOnWriteArrayList<>();
    private TcloEvents events;

    private TcloEventsBuilder builder() {
        return TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host))
                .logger(new CountingLogger()).listener(changes)
                .clock(Clock.fixed(GUEST, ZoneOffset.UTC)).clockAdjuster(adjustments::add);
    }

    private void hostClockAt(long offsetMillis) {
        host.setClock(Clock.fixed(GUEST.plusMillis(offsetMillis), ZoneOffset.UTC));
    }

    @AfterEach
    void closeEvents() {
        if (events != null) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), events::close);
        }
    }

    private String send(String command) throws Exception {
        return host.tclo().send(command).get(20, TimeUnit.SECONDS);
    }

    @Test
    void aThrowingTimeSyncPolicyListenerDoesNotStopTheLoop() throws Exception {
        events = builder().build();
        events.onTimeSyncPolicy(policy -> {
            throw new IllegalStateException("listener bug");
        });
        events.start();

        assertThat(send("Set_Option synctime 1")).isEqualTo("OK ");
        assertThat(send("ping")).isEqualTo("OK ");
        assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
    }

    @Test
    void aHandlerStackOverflowIsAnErrorReplyNotTheEndOfTheLoop() throws Exception {
        events = builder().build();
        events.subscribe(TcloCommand.Ping.class, ping -> {
            throw new StackOverflowError();
        });
        events.start();

        assertThat(send("ping")).isEqualTo("ERROR StackOverflowError");
        assertThat(send("Set_Option after 1")).isEqualTo("OK ");
        assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
    }

    @Test
    void withoutAClockAdjusterTimeSynchronizeIsNotClaimed() throws Exception {
        // timeSync.c:1102-1103 registers Time_Synchronize; without time sync rpcin.c:1343-1346 answers this.
        events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host)).start();

        assertThat(send("Time_Synchronize 1")).isEqualTo("ERROR Unknown Command");
    }

    @Test
    void startingThePeriodicLoopSyncsAtOnceAndAnUnchangedPeriodDoesNotRestartIt() throws Exception {
        hostClockAt(5_000);   // timeSync.c:818, 999
        events = builder().start();

        send("Set_Option synctime 1");
        send("Set_Option synctime.period 0");

        assertThat(adjustments).extracting(ClockAdjustment::reason).containsExactly(ClockAdjustment.Reason.PERIODIC);
    }

    @Test
    void withSlewCorrectionAGuestRunningAheadIsSlewedBack() throws Exception {
        host = SimulatedHost.builder().timeLag(1_000_000, 0).build();
        hostClockAt(-2_000);  // timeSync.c:711-715
        events = builder().start();

        send("Set_Option time.synchronize.tools.slewCorrection 1");
        send("Set_Option synctime 1");

        assertThat(adjustments).singleElement().satisfies(a -> {
            assertThat(a.reason()).isEqualTo(ClockAdjustment.Reason.PERIODIC);
            assertThat(a.offset()).isEqualTo(Duration.ofSeconds(-2));
        });
    }

    @Test
    void aOneShotStepsOnlyWhenBehindByMoreThanMaxLagAfterTheInterruptLag() throws Exception {
        host = SimulatedHost.builder().timeLag(1_000_000, 2_500_000).build();
        events = builder().start();

        hostClockAt(3_000);   // 3 s - 2.5 s < 1 s: nothing to do, which is success (timeSync.c:641, 659, 690-692)
        assertThat(send("Time_Synchronize 0")).isEqualTo("OK ");
        assertThat(adjustments).isEmpty();
        hostClockAt(4_000);   // 4 s - 2.5 s > 1 s: step by host - guest (timeSync.c:686)
        assertThat(send("Time_Synchronize 0")).isEqualTo("OK ");
        assertThat(adjustments).extracting(ClockAdjustment::offset).containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void aResumeDoesNotSyncByItself() throws Exception {
        hostClockAt(5_000);   // timeSync.c has no resume hook; guest.resync is about the guest time service
        events = builder().start();

        send("Set_Option time.synchronize.guest.resync 1");
        send("OS_Resume");

        assertThat(adjustments).isEmpty();
    }

    @Test
    void aRepeatedPowerOperationThatFailedIsReportedAsSuccess() throws Exception {
        events = builder().build();   // powerOps.c:194-201 (softpowerop_retry)
        events.subscribe(TcloCommand.PowerOperation.class, op -> {
            throw new IllegalStateException("busy");
        });
        events.start();

        assertThat(host.tclo().powerOperation(GuestPowerOperation.HALT).get(20, TimeUnit.SECONDS)).isFalse();
        assertThat(host.tclo().powerOperation(GuestPowerOperation.HALT).get(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aChannelLostAfterAQuietAttachIsNotARejectedAttach() throws Exception {
        events = builder().conflictResets(2)
                .polling(TcloPolling.defaults().withRetryDelays(Duration.ofMillis(10), Duration.ofMillis(50)))
                .start();

        for (int i = 0; i < 3; i++) {
            // No command after the reset: only the quiet polls say the host took the ATR.
            TcloEventsTest.waitFor(() -> events.state() == TcloState.ATTACHED);
            long polls = host.calls().of(MessageType.RECEIVE_SIZE);
            TcloEventsTest.waitFor(() -> host.calls().of(MessageType.RECEIVE_SIZE) >= polls + 3);
            host.faults().closeChannelOn(MessageType.RECEIVE_SIZE);
            TcloEventsTest.waitFor(() -> host.faults().pending().isEmpty());
            TcloEventsTest.waitFor(() -> events.state() != TcloState.ATTACHED);
        }
        assertThat(send("ping")).isEqualTo("OK ");

        assertThat(changes.states()).doesNotContain(TcloState.CONFLICT);
    }

    @Test
    void theFirstReopenWaitsOneSecondLikeVmtoolsd() {
        assertThat(TcloPolling.defaults().retryDelay(1)).isEqualTo(Duration.ofSeconds(1));   // rpcChannel.c:190
    }
}
