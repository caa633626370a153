package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.hostsim.GuestPowerOperation;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.TcloExchange;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TcloEvents} against the simulated host: the wire, the host's counters, its RPCI log. */
class TcloHostTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SimulatedHost host = SimulatedHost.create();
    private final CountingLogger logger = new CountingLogger();
    private final CountingLogger.Changes changes = new CountingLogger.Changes();
    private final List<ClockAdjustment> adjustments = new CopyOnWriteArrayList<>();
    private TcloEvents events = builder().build();

    private TcloEventsBuilder builder() {
        return TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host))
                .logger(logger).listener(changes)
                .clockAdjuster(adjustments::add);
    }

    @AfterEach
    void closeEverything() {
        assertTimeoutPreemptively(WAIT, events::close);
        // A channel the host killed costs at most two refused calls: the one that found it dead and the
        // best-effort CLOSE. A guest that kept polling a dead channel would blow this bound.
        assertThat(host.calls().violations()).as("calls the host refused")
                .isLessThanOrEqualTo(2 * (host.calls().opens() - 1));
    }

    private String send(String command) throws Exception {
        return host.tclo().send(command).get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("dev.vmwguest.tclo.TcloEventsTest#defaults")
    void everyCommandIsAnsweredByteExactlyOnTheWire(String command, String reply) throws Exception {
        events.start();

        assertThat(send(command)).isEqualTo(reply);
        assertThat(send("ping")).isEqualTo("OK ");
        assertThat(host.tclo().history()).allMatch(TcloExchange::wellFormed, "well-formed replies");
    }

    @Test
    void malformedBytesAreAnsweredNeverFatal() throws Exception {
        events.start();
        byte[] junk = new byte[60 * 1024];
        Arrays.fill(junk, (byte) 'A');

        assertThat(host.tclo().sendBytes(junk).get(20, TimeUnit.SECONDS)).isEqualTo("ERROR Unknown Command");
        assertThat(host.tclo().sendBytes("ping\0".getBytes(StandardCharsets.US_ASCII)).get(20, TimeUnit.SECONDS))
                .isEqualTo("OK ");
        assertThat(host.tclo().sendBytes(new byte[] {'x', 0, (byte) 0xFF, ' ', 1}).get(20, TimeUnit.SECONDS))
                .isEqualTo("ERROR Unknown Command");
        assertThat(host.tclo().sendBytes(new byte[] {0, 0}).get(20, TimeUnit.SECONDS)).isEqualTo("ERROR Bad command");
        assertThat(send("Set_Option synctime")).isEqualTo("ERROR Unknown or invalid option");
        assertThat(send("ping")).isEqualTo("OK ");
    }

    @Test
    void theAttachHandshakeAnswersResetOnceAndAnnouncesTheUnifiedLoop() throws Exception {
        events.start();
        send("ping");

        TcloExchange reset = host.tclo().history().get(0);
        assertThat(reset.command()).isEqualTo("reset");
        assertThat(reset.reply()).contains("OK ATR toolbox");
        assertThat(host.tclo().attachedApps()).containsExactly("toolbox");
        assertThat(host.calls().rpci("vmx.capability.unified_loop")).isEqualTo(1);
        assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
    }

    @Test
    void capabilitiesRegisterSendsWhatVmtoolsdSendsForPowerOperations() throws Exception {
        events.start();

        assertThat(send("Capabilities_Register")).isEqualTo("OK ");

        // observed-clients.md: statechange and softpowerop_retry (no value, trailing space), then the version.
        assertThat(host.calls().rpci("tools.capability.statechange")).isEqualTo(1);
        assertThat(host.calls().rpci("tools.capability.softpowerop_retry")).isEqualTo(1);
        assertThat(host.calls().rpci("tools.set.version")).isEqualTo(1);
        assertThat(host.capabilities()).containsExactlyInAnyOrder("statechange", "softpowerop_retry");
        assertThat(host.capability("statechange")).contains("");
        assertThat(host.toolsVersion()).contains("2147483647");
        assertThat(host.unifiedLoopApps()).containsExactly("toolbox");
    }

    @Test
    void powerOperationsEndToEndIncludingTheStatechangeReport() throws Exception {
        events.subscribe(TcloCommand.PowerOperation.class, op -> {
            if (op.state() == dev.vmwguest.rpci.PowerState.REBOOT) {
                throw new IllegalStateException("updates are installing");
            }
            return TcloReply.ok();
        });
        events.start();

        assertThat(host.tclo().powerOperation(GuestPowerOperation.HALT).get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(host.tclo().powerOperation(GuestPowerOperation.REBOOT).get(20, TimeUnit.SECONDS)).isFalse();
        assertThat(host.tclo().powerOperation(GuestPowerOperation.SUSPEND).get(20, TimeUnit.SECONDS)).isTrue();
        send("ping");

        assertThat(host.tclo().history()).filteredOn(e -> e.command().equals("OS_Reboot"))
                .singleElement().extracting(e -> e.reply().orElseThrow()).isEqualTo("ERROR updates are installing");
        assertThat(host.calls().rpci("tools.os.statechange.status")).isEqualTo(3);
        assertThat(host.reports()).filteredOn(r -> r.startsWith("tools.os.statechange.status")).hasSize(3);
    }

    @Test
    void subscriptionAndUnsubscriptionOnTheWire() throws Exception {
        events.start();
        TcloSubscription subscription = events.subscribe("TimeInfo_Update", c -> TcloReply.ok("handled"));
        assertThat(send("TimeInfo_Update")).isEqualTo("OK handled");
        subscription.close();
        assertThat(send("TimeInfo_Update")).isEqualTo("ERROR Unknown Command");
    }

    @Test
    void idlePollsCostTwoCallsAndACommandThreeMore() throws Exception {
        events.start();
        send("ping");
        TimeUnit.MILLISECONDS.sleep(300);      // settle into the 100 ms idle interval

        var idleBefore = host.calls().snapshot();
        TimeUnit.MILLISECONDS.sleep(1000);
        var idleAfter = host.calls().snapshot();
        long polls = idleAfter.byType().get(MessageType.SEND_SIZE) - idleBefore.byType().get(MessageType.SEND_SIZE);
        long idleCalls = idleAfter.total() - idleBefore.total();

        int commands = 20;
        var before = host.calls().snapshot();
        for (int i = 0; i < commands; i++) {
            send("ping");
        }
        events.close();
        var after = host.calls().snapshot();
        long sendSizes = after.byType().get(MessageType.SEND_SIZE) - before.byType().get(MessageType.SEND_SIZE);
        long receiveSizes = after.byType().get(MessageType.RECEIVE_SIZE) - before.byType().get(MessageType.RECEIVE_SIZE);
        long perCommand = (after.total() - before.total()) - sendSizes - receiveSizes
                - (after.byType().get(MessageType.CLOSE) - before.byType().get(MessageType.CLOSE));

        System.out.printf("TCLO cost: %d idle polls in 1 s, %d backdoor calls (%.2f per poll); "
                + "%d commands: %d calls beyond their poll's SENDSIZE+RECVSIZE (%.2f per command)%n",
                polls, idleCalls, (double) idleCalls / polls, commands, perCommand, (double) perCommand / commands);
        assertThat(polls).as("about 10 polls a second at the 100 ms idle interval").isBetween(5L, 15L);
        assertThat(idleCalls).isBetween(2 * polls - 1, 2 * polls + 1);
        assertThat(perCommand).as("HB-in, RECVSTATUS, HB-out per command").isEqualTo(3L * commands);
    }

    @Test
    void onTheLowBandwidthPathACommandCostsOneCallPerFourBytes() throws Exception {
        events.start();
        send("ping");
        host.faults().lowBandwidthOnly(true);
        send("ping");                          // the first poll after the switch may still have used HB

        var before = host.calls().snapshot();
        assertThat(send("Set_Option synctime 0")).isEqualTo("OK ");   // 21-byte command, 3-byte reply
        events.close();
        var after = host.calls().snapshot();

        long fetch = after.byType().get(MessageType.RECEIVE_PAYLOAD) - before.byType().get(MessageType.RECEIVE_PAYLOAD);
        long reply = after.byType().get(MessageType.SEND_PAYLOAD) - before.byType().get(MessageType.SEND_PAYLOAD);
        System.out.printf("TCLO LB cost: 21-byte command in %d RECVPAYLOAD calls, 3-byte reply in %d SENDPAYLOAD%n",
                fetch, reply);
        assertThat(fetch).isEqualTo(6);       // ceil(21 / 4)
        assertThat(reply).isEqualTo(1);       // ceil(3 / 4)
        assertThat(after.highBandwidthIn() - before.highBandwidthIn()).isZero();
    }

    @Test
    void aCheckpointWithinTheBoundIsInvisible() throws Exception {
        events.start();
        send("ping");
        long opens = host.calls().opens();

        host.faults().checkpointOnce(MessageType.RECEIVE_PAYLOAD);
        assertThat(send("Set_Option a 1")).isEqualTo("OK ");
        host.faults().checkpointOnce(MessageType.SEND_PAYLOAD);
        assertThat(send("ping")).isEqualTo("OK ");
        assertThat(send("ping")).isEqualTo("OK ");

        assertThat(host.faults().pending()).isEmpty();
        assertThat(host.calls().opens()).isEqualTo(opens);
        assertThat(changes.states()).containsExactly(TcloState.CONNECTING, TcloState.ATTACHED);
    }

    @Test
    void checkpointsBeyondTheBoundCostOneReopenNotAStorm() throws Exception {
        events.start();
        send("ping");
        long opens = host.calls().opens();
        long total = host.calls().total();

        host.faults().checkpoint(MessageType.RECEIVE_STATUS, 4);
        assertThat(send("ping")).isIn("OK ");    // re-offered on the new channel if the first fetch failed
        assertThat(send("ping")).isEqualTo("OK ");

        assertThat(host.calls().opens() - opens).isEqualTo(1);
        assertThat(host.calls().total() - total).as("bounded calls").isLessThan(60);
        assertThat(changes.states()).containsExactly(TcloState.CONNECTING, TcloState.ATTACHED, TcloState.RECOVERING,
                TcloState.CONNECTING, TcloState.ATTACHED);
        assertThat(logger.lines).hasSize(changes.all.size());
    }

    @Test
    void aHostCloseMidMessageIsRecoveredWithOneReopenAndOneReset() throws Exception {
        events.start();
        send("ping");
        long opens = host.calls().opens();

        host.faults().closeChannelOn(MessageType.SEND_PAYLOAD);    // kills the reply to the next command
        host.tclo().send("Set_Option lost 1").handle((r, e) -> r);
        assertThat(send("ping")).isEqualTo("OK ");

        assertThat(host.calls().opens() - opens).isEqualTo(1);
        List<TcloExchange> resets = host.tclo().history().stream().filter(e -> e.command().equals("reset")).toList();
        assertThat(resets).hasSize(2).allSatisfy(r -> assertThat(r.reply()).contains("OK ATR toolbox"));
    }

    @Test
    void aHostResetIsAnsweredOnceOnANewChannel() throws Exception {
        events.start();
        send("ping");
        long opens = host.calls().opens();

        host.resetHost();
        assertThat(send("ping")).isEqualTo("OK ");

        assertThat(host.calls().opens() - opens).isBetween(1L, 2L);   // TCLO, and RPCI for unified_loop
        assertThat(host.tclo().history().stream().filter(e -> e.command().equals("reset"))
                .filter(e -> e.reply().isPresent())).hasSize(2);
    }

    @Test
    void anotherProcessHoldingTheAppNameIsReportedAndNotFought() {
        host.faults().appNameTaken(true);
        events = builder().polling(TcloPolling.defaults().withRetryDelays(Duration.ofMillis(10),
                Duration.ofMillis(100))).start();

        TcloEventsTest.waitFor(() -> events.state() == TcloState.CONFLICT);

        long resets = host.tclo().history().stream().filter(e -> e.command().equals("reset")).count();
        assertThat(resets).as("documented bound: conflictResets + 1").isLessThanOrEqualTo(6);
        assertThat(changes.all.get(changes.all.size() - 1).cause()).get()
                .isInstanceOf(TcloAppConflictException.class);
        long total = host.calls().total();
        TcloEventsTest.pause(300);
        assertThat(host.calls().total()).as("stopped fighting").isEqualTo(total);
    }

    @Test
    void closeDoesNotHangOnAStalledHost() throws Exception {
        events = builder().closeTimeout(Duration.ofMillis(200)).start();
        send("ping");
        host.faults().stall(MessageType.RECEIVE_SIZE, Duration.ofSeconds(3));
        TcloEventsTest.pause(300);

        assertTimeoutPreemptively(Duration.ofSeconds(2), events::close);
    }

    @Test
    void timeSynchronizeReadsTheHostClockThroughTheBackdoor() throws Exception {
        Instant guest = Instant.parse("2026-11-23T00:00:00Z");
        host.setClock(java.time.Clock.fixed(guest.plusSeconds(90), java.time.ZoneOffset.UTC));
        events = builder().clock(java.time.Clock.fixed(guest, java.time.ZoneOffset.UTC)).start();

        assertThat(send("Time_Synchronize 1")).isEqualTo("OK ");
        host.setClock(java.time.Clock.fixed(guest.minusSeconds(30), java.time.ZoneOffset.UTC));
        assertThat(send("Time_Synchronize 0")).as("backwards not allowed: withheld, not an error").isEqualTo("OK ");
        assertThat(send("Time_Synchronize 1")).isEqualTo("OK ");

        assertThat(adjustments).extracting(ClockAdjustment::offset)
                .containsExactly(Duration.ofSeconds(90), Duration.ofSeconds(-30));
        assertThat(adjustments).allMatch(a -> a.reason() == ClockAdjustment.Reason.TIME_SYNCHRONIZE);
    }

    @Test
    void thePolicyFromTheHostsStartupSequenceDecidesTheSyncs() throws Exception {
        Instant guest = Instant.parse("2026-11-23T00:00:00Z");
        host.setClock(java.time.Clock.fixed(guest.plusSeconds(5), java.time.ZoneOffset.UTC));
        events = builder().clock(java.time.Clock.fixed(guest, java.time.ZoneOffset.UTC)).start();

        // The order OpenBSD recorded from real hosts (host-behaviour.md 5.2): synctime before tools.enable.
        for (String option : List.of("synctime 1", "synctime.period 0", "time.synchronize.tools.enable 1",
                "time.synchronize.tools.percentCorrection 0", "time.synchronize.tools.slewCorrection 1",
                "time.synchronize.tools.startup 1")) {
            assertThat(send("Set_Option " + option)).isEqualTo("OK ");
        }

        // synctime 1 starts the loop, which syncs at once (timeSync.c:818); tools.enable after it does not make a
        // one-shot (944-951); startup steps once (1023-1025).
        assertThat(adjustments).extracting(ClockAdjustment::reason).containsExactly(ClockAdjustment.Reason.PERIODIC,
                ClockAdjustment.Reason.STARTUP);
        assertThat(events.timeSyncPolicy()).isEqualTo(new TimeSyncPolicy(true, Duration.ofSeconds(60), true, true,
                false, true, 50, false, 0));
    }
}
