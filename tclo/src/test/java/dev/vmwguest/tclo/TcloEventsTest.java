package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.HostTime;
import dev.vmwguest.backdoor.RegisterFrame;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.PowerState;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The loop and dispatch logic against a scripted channel ({@link FakeTcloHost}); wire-level tests use host-sim. */
class TcloEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeTcloHost host = new FakeTcloHost();
    private final FakeTools tools = new FakeTools();
    private final CountingLogger logger = new CountingLogger();
    private final CountingLogger.Changes changes = new CountingLogger.Changes();
    private final List<ClockAdjustment> adjustments = new CopyOnWriteArrayList<>();
    private Instant hostTime = Instant.parse("2026-01-01T00:00:05Z");
    private TcloEvents events = builder().build();

    private TcloEventsBuilder builder() {
        return TcloEvents.builder("toolbox").transports(TransportSelector.over(NO_BACKDOOR))
                .connections(host)
                .rpciSender(tools)
                .hostClock(() -> Optional.of(new HostTime(hostTime, Duration.ofMillis(1), Optional.of(Duration.ZERO), 55)))
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .clockAdjuster(adjustments::add)
                .logger(logger)
                .listener(changes)
                .polling(TcloPolling.defaults().withIdleDelays(Duration.ofMillis(1), Duration.ofMillis(5))
                        .withRetryDelays(Duration.ofMillis(1), Duration.ofMillis(20)));
    }

    @AfterEach
    void closeEvents() {
        assertTimeoutPreemptively(WAIT, events::close);
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("ping", "OK "),
                Arguments.of("reset", "OK ATR toolbox"),
                Arguments.of("Capabilities_Register", "OK "),
                Arguments.of("Set_Option synctime 0", "OK "),
                Arguments.of("Set_Option broadcastIP 1", "OK "),
                Arguments.of("Set_Option synctime", "ERROR Unknown or invalid option"),
                Arguments.of("OS_Halt", "ERROR No handler for OS_Halt in this application"),
                Arguments.of("OS_Reboot", "ERROR No handler for OS_Reboot in this application"),
                Arguments.of("OS_PowerOn", "OK "),
                Arguments.of("OS_Resume", "OK "),
                Arguments.of("OS_Suspend", "OK "),
                Arguments.of("Time_Synchronize 0", "OK "),
                Arguments.of("Time_Synchronize 1", "OK "),
                Arguments.of("Time_Synchronize", "ERROR Unable to tokenize TimeSync RPC data"),
                Arguments.of("TimeInfo_Update", "ERROR Unknown Command"),
                Arguments.of("vmbackup.start 1", "ERROR Unknown Command"),
                Arguments.of("vmbackup.abort", "ERROR Unknown Command"),
                Arguments.of("deployPkg.begin", "ERROR Unknown Command"),
                Arguments.of("vmsupport.start", "ERROR Unknown Command"),
                Arguments.of("Vix_1_Relayed_Command \"38cdcae40e075d66\"", "ERROR Unknown Command"),
                Arguments.of("no.such.command", "ERROR Unknown Command"),
                Arguments.of(" ", "ERROR Bad command"),
                Arguments.of("\0", "ERROR Bad command"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("defaults")
    void everyCommandGetsTheBuiltInAnswer(String command, String reply) throws Exception {
        events.start();

        assertThat(host.send(command).get(10, TimeUnit.SECONDS)).isEqualTo(reply);
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");   // and the loop lives on
        assertThat(host.violations()).isZero();
    }

    @Test
    void theFirstCommandOnANewChannelIsResetAnsweredWithTheAppName() throws Exception {
        events.start();
        host.send("ping").get(10, TimeUnit.SECONDS);

        assertThat(host.delivered()).startsWith("reset", "ping");
        assertThat(host.replies()).startsWith("OK ATR toolbox", "OK ");
        assertThat(tools.sent).containsExactly("vmx.capability.unified_loop toolbox");
        assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
        assertThat(changes.states()).containsExactly(TcloState.CONNECTING, TcloState.ATTACHED);
    }

    @Test
    void capabilitiesRegisterSendsCapabilitiesThenTheToolsVersion() throws Exception {
        events.start();

        assertThat(host.send("Capabilities_Register").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
        assertThat(tools.sent).containsExactly("vmx.capability.unified_loop toolbox",
                "tools.capability.statechange ", "tools.capability.softpowerop_retry ",
                "tools.set.version 2147483647");
    }

    @Test
    void configuredCapabilitiesReplaceTheDefaults() throws Exception {
        events = builder().capability("hgfs_server", "toolbox 0").toolsVersion(13344).unifiedLoop(false).start();

        host.send("Capabilities_Register").get(10, TimeUnit.SECONDS);

        assertThat(tools.sent).containsExactly("tools.capability.hgfs_server toolbox 0", "tools.set.version 13344");
    }

    @Test
    void aHandlerReplacesTheDefaultAndUnsubscribingRestoresIt() throws Exception {
        events.start();
        TcloSubscription subscription = events.subscribe(TcloCommand.Ping.class, ping -> TcloReply.ok("pong"));

        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK pong");
        subscription.close();
        subscription.close();
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
    }

    @Test
    void aNameSubscriptionReachesUnmodelledCommandsAndWinsOverTheType() throws Exception {
        events.subscribe("Resolution_Set", c -> TcloReply.ok(((TcloCommand.Unknown) c).argumentText()));
        events.subscribe(TcloCommand.PowerOperation.class, op -> TcloReply.ok("type"));
        events.subscribe("OS_Halt", op -> TcloReply.ok("name"));
        events.start();

        assertThat(host.send("Resolution_Set 1024 768").get(10, TimeUnit.SECONDS)).isEqualTo("OK 1024 768");
        assertThat(host.send("OS_Halt").get(10, TimeUnit.SECONDS)).isEqualTo("OK name");
        assertThat(host.send("OS_Reboot").get(10, TimeUnit.SECONDS)).isEqualTo("OK type");
    }

    @Test
    void oneHandlerPerCommand() {
        events.subscribe(TcloCommand.Ping.class, ping -> TcloReply.ok());

        assertThatIllegalStateException().isThrownBy(() -> events.subscribe(TcloCommand.Ping.class, p -> TcloReply.ok()))
                .withMessageContaining("already subscribed");
        assertThatIllegalArgumentException().isThrownBy(() -> events.subscribe("two words", c -> TcloReply.ok()));
    }

    @Test
    void aThrowingHandlerBecomesAnErrorReplyAndTheLoopLivesOn() throws Exception {
        events.subscribe(TcloCommand.SetOption.class, option -> {
            throw new IllegalStateException("cannot apply " + option.name() + "\nstack detail");
        });
        events.start();

        assertThat(host.send("Set_Option enableDnD 1").get(10, TimeUnit.SECONDS))
                .isEqualTo("ERROR cannot apply enableDnD");
        assertThat(host.send("Set_Option copypaste 1").get(10, TimeUnit.SECONDS))
                .isEqualTo("ERROR cannot apply copypaste");
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
        assertThat(logger.lines.stream().filter(l -> l.contains("handler for Set_Option failed"))).hasSize(1);
    }

    @Test
    void powerOperationsAreReportedAfterTheHandlerDecides() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        events.subscribe(TcloCommand.PowerOperation.class, op -> {
            order.add("handler " + op.state() + " rpci so far " + tools.sent.size());
            if (op.state() == PowerState.REBOOT) {
                throw new IllegalStateException("reboot refused");
            }
            return TcloReply.ok();
        });
        events.start();

        assertThat(host.send("OS_Halt").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
        assertThat(host.send("OS_Reboot").get(10, TimeUnit.SECONDS)).isEqualTo("ERROR reboot refused");

        assertThat(tools.sent).containsSubsequence("tools.os.statechange.status 1 1", "tools.os.statechange.status 0 2");
        assertThat(order).containsExactly("handler HALT rpci so far 1", "handler REBOOT rpci so far 2");
    }

    @Test
    void withoutAHandlerHaltAndRebootAreReportedAsFailed() throws Exception {
        events.start();

        host.send("OS_Halt").get(10, TimeUnit.SECONDS);
        host.send("OS_Suspend").get(10, TimeUnit.SECONDS);

        assertThat(tools.sent).containsSubsequence("tools.os.statechange.status 0 1", "tools.os.statechange.status 1 5");
    }

    @Test
    void timeSynchronizeCallsTheAdjusterAndOptionsUpdateThePolicy() throws Exception {
        List<TimeSyncPolicy> policies = new CopyOnWriteArrayList<>();
        events.onTimeSyncPolicy(policies::add);
        events.start();

        host.send("Set_Option synctime.period 30").get(10, TimeUnit.SECONDS);
        assertThat(host.send("Time_Synchronize 0").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");

        assertThat(events.timeSyncPolicy().period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policies).hasSize(1);
        assertThat(adjustments).singleElement().satisfies(a -> {
            assertThat(a.reason()).isEqualTo(ClockAdjustment.Reason.TIME_SYNCHRONIZE);
            assertThat(a.offset()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void setOptionSideEffectsHappenEvenWhenTheApplicationAnswers() throws Exception {
        events.subscribe(TcloCommand.SetOption.class, option -> TcloReply.error("not here"));
        events.start();

        host.send("Set_Option time.synchronize.tools.startup 1").get(10, TimeUnit.SECONDS);

        assertThat(events.timeSyncPolicy().startup()).isTrue();
        assertThat(adjustments).extracting(ClockAdjustment::reason).containsExactly(ClockAdjustment.Reason.STARTUP);
    }

    @Test
    void withTheReportOnlyAdjusterTimeSynchronizeIsAnsweredAsByToolsWithoutTimeSync() throws Exception {
        // Time_Synchronize is registered by the timeSync plugin (timeSync.c:1102-1103); without it rpcin.c
        // answers ERROR Unknown Command (rpcin.c:1343-1346). OK would claim a clock that was never set.
        events = builder().clockAdjuster(ClockAdjuster.reportOnly()).start();

        assertThat(host.send("Time_Synchronize 1").get(10, TimeUnit.SECONDS)).isEqualTo("ERROR Unknown Command");
        assertThat(host.send("Time_Synchronize 0").get(10, TimeUnit.SECONDS)).isEqualTo("ERROR Unknown Command");
    }

    @Test
    void aResumeNeverSyncsByItselfEvenWithGuestResync() throws Exception {
        // timeSync.c has no resume hook: after a resume the host sends Time_Synchronize, which syncs once.
        events.start();

        host.send("Set_Option time.synchronize.guest.resync 1").get(10, TimeUnit.SECONDS);
        host.send("OS_Resume").get(10, TimeUnit.SECONDS);
        assertThat(host.send("Time_Synchronize 1").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");

        assertThat(adjustments).extracting(ClockAdjustment::reason)
                .containsExactly(ClockAdjustment.Reason.TIME_SYNCHRONIZE);
    }

    @Test
    void timeSynchronizeIsOkWhenTheClocksAlreadyAgree() throws Exception {
        hostTime = Instant.parse("2026-01-01T00:00:00Z");   // the guest clock exactly (timeSync.c:690-692, 884)
        events.start();

        assertThat(host.send("Time_Synchronize 0").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
        assertThat(adjustments).isEmpty();
    }

    @Test
    void aFailingAdjusterMakesTimeSynchronizeAnError() throws Exception {
        events = builder().clockAdjuster(a -> {
            throw new SecurityException("not root");
        }).start();

        assertThat(host.send("Time_Synchronize 1").get(10, TimeUnit.SECONDS)).isEqualTo("ERROR Unable to sync time");
    }

    @Test
    void aChannelFailureReopensWithAnEmptySendAndNeverReplaysTheOwedReply() throws Exception {
        events.start();
        host.send("ping").get(10, TimeUnit.SECONDS);
        int opensBefore = host.opens();

        CompletableFuture<String> lost = host.send("Set_Option a 1");
        host.failNextCalls(1);                  // the reply to the next command, or its receive, dies
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");

        assertThat(host.opens()).isEqualTo(opensBefore + 1);
        assertThat(host.violations()).as("no call on a dead channel, no unsolicited reply").isZero();
        assertThat(lost.isDone() ? lost.get() : "lost").isIn("OK ", "lost");
        assertThat(host.replies().stream().filter(r -> r.startsWith("OK ATR")))
                .hasSize((int) host.delivered().stream().filter("reset"::equals).count());
        assertThat(changes.states()).containsSubsequence(TcloState.ATTACHED, TcloState.RECOVERING,
                TcloState.CONNECTING, TcloState.ATTACHED);
    }

    @Test
    void repeatedFailuresAreLoggedOncePerStateChangeAndBackOff() throws Exception {
        events.start();
        host.send("ping").get(10, TimeUnit.SECONDS);

        host.refuseOpens(true);
        host.failNextCalls(1);
        waitFor(() -> host.opens() >= 6);
        host.refuseOpens(false);
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");

        assertThat(changes.states()).containsExactly(TcloState.CONNECTING, TcloState.ATTACHED, TcloState.RECOVERING,
                TcloState.CONNECTING, TcloState.ATTACHED);
        assertThat(logger.lines).hasSize(changes.all.size());
    }

    @Test
    void giveUpAfterTheConfiguredNumberOfFailuresWithATypedError() {
        host.refuseOpens(true);
        events = builder().polling(TcloPolling.defaults().withRetryDelays(Duration.ofMillis(1), Duration.ofMillis(2))
                .withMaxFailures(4)).start();

        waitFor(() -> events.state() == TcloState.FAILED);

        assertThat(host.opens()).isEqualTo(4);
        assertThat(changes.all.get(changes.all.size() - 1).cause()).get()
                .isInstanceOf(TcloException.class)
                .extracting(Throwable::getMessage).asString().contains("4 times in a row");
    }

    @Test
    void onlyResetsMeanAnotherProcessHoldsTheAppName() {
        host.resetOnEveryPoll(true);
        events = builder().conflictResets(3).start();

        waitFor(() -> events.state() == TcloState.CONFLICT);

        long resets = host.delivered().stream().filter("reset"::equals).count();
        assertThat(resets).isEqualTo(4);       // the first attach and 3 rejected ones
        TcloStateChange conflict = changes.all.get(changes.all.size() - 1);
        assertThat(conflict.cause()).get().isInstanceOfSatisfying(TcloAppConflictException.class, e -> {
            assertThat(e.appName()).isEqualTo("toolbox");
            assertThat(e.getMessage()).contains("vmtoolsd").contains("RPCI only");
        });
        int opens = host.opens();
        int sends = host.sends();
        pause(50);
        assertThat(host.opens()).as("stopped fighting").isEqualTo(opens);
        assertThat(host.sends()).isEqualTo(sends);
        assertThat(host.closes()).isEqualTo(opens);
    }

    @Test
    void aResetAfterOtherCommandsIsNotAConflict() throws Exception {
        events = builder().conflictResets(2).start();
        for (int i = 0; i < 5; i++) {
            host.send("reset").get(10, TimeUnit.SECONDS);
            host.send("ping").get(10, TimeUnit.SECONDS);
        }

        assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
    }

    @Test
    void aFailureAfterAQuietAttachIsNotARejectedAttach() throws Exception {
        // Only failures during an attach (before the host has taken the ATR quietly) count towards a conflict.
        events = builder().conflictResets(2).start();

        for (int i = 0; i < 4; i++) {
            int opens = host.opens();
            waitFor(() -> events.state() == TcloState.ATTACHED);
            int receives = host.receives();
            waitFor(() -> host.receives() >= receives + 3);   // the host took the ATR: empty polls follow
            host.failNextCalls(1);
            waitFor(() -> host.opens() > opens);
        }
        waitFor(() -> events.state() == TcloState.ATTACHED);

        assertThat(changes.states()).doesNotContain(TcloState.CONFLICT);
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
    }

    @Test
    void closeSendsTheOwedReplyThenClosesTheChannelAndJoins() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        events.subscribe(TcloCommand.Ping.class, ping -> {
            inHandler.countDown();
            pause(100);
            return TcloReply.ok("last");
        });
        events.start();
        CompletableFuture<String> reply = host.send("ping");
        inHandler.await(10, TimeUnit.SECONDS);

        assertTimeoutPreemptively(WAIT, events::close);

        assertThat(reply.get(1, TimeUnit.SECONDS)).isEqualTo("OK last");
        assertThat(host.closes()).isEqualTo(host.opens());
        assertThat(tools.closed).isTrue();
        assertThat(events.state()).isEqualTo(TcloState.CLOSED);
    }

    @Test
    void closeIsBoundedEvenWhenAHandlerHangs() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch inHandler = new CountDownLatch(1);
        events = builder().closeTimeout(Duration.ofMillis(100)).build();
        events.subscribe(TcloCommand.Ping.class, ping -> {
            inHandler.countDown();
            never.await();
            return TcloReply.ok();
        });
        events.start();
        host.send("ping");
        inHandler.await(10, TimeUnit.SECONDS);

        assertTimeoutPreemptively(Duration.ofSeconds(2), events::close);

        assertThat(logger.lines).anyMatch(l -> l.contains("still busy"));
        never.countDown();
        waitFor(() -> host.closes() == host.opens());
    }

    @Test
    void closeWorksBeforeStartAndFromAHandler() throws Exception {
        events.close();
        assertThat(tools.closed).isTrue();
        assertThatIllegalStateException().isThrownBy(events::start);

        FakeTools second = new FakeTools();
        TcloEvents self = builder().rpciSender(second).build();
        self.subscribe(TcloCommand.Ping.class, ping -> {
            self.close();
            return TcloReply.ok("bye");
        });
        self.start();
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK bye");
        waitFor(() -> second.closed);
        assertThat(self.state()).isEqualTo(TcloState.CLOSED);
    }

    @Test
    void theAppNameIsOneWord() {
        assertThatIllegalArgumentException().isThrownBy(() -> TcloEvents.builder("my app"));
        assertThatIllegalArgumentException().isThrownBy(() -> TcloEvents.builder(""));
    }

    @Test
    void theDefaultThreadIsADaemonOnJava17() {
        Thread thread = TcloThreads.defaultFactory("toolbox").newThread(() -> { });

        assertThat(thread.getName()).isEqualTo("vmwguest-tclo-toolbox");
        if (Runtime.version().feature() < 21) {
            assertThat(thread.isDaemon()).isTrue();
        }
    }

    static void waitFor(BooleanSupplier condition) {
        assertTimeoutPreemptively(WAIT, () -> {
            while (!condition.getAsBoolean()) {
                Thread.sleep(1);
            }
        });
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The fake transport and tools stand in for the host; nothing may reach a backdoor. */
    static final Backdoor NO_BACKDOOR = new Backdoor() {
        @Override
        public void call(RegisterFrame frame) {
            throw new AssertionError("no backdoor in this test");
        }

        @Override
        public void send(RegisterFrame frame, ByteBuffer source) {
            throw new AssertionError("no backdoor in this test");
        }

        @Override
        public void receive(RegisterFrame frame, ByteBuffer target) {
            throw new AssertionError("no backdoor in this test");
        }

        @Override
        public BackdoorMechanism mechanism() {
            return BackdoorMechanism.values()[0];
        }
    };
}
