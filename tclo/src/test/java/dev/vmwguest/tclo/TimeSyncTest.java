package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.HostTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table per rule of open-vm-tools services/plugins/timeSync/timeSync.c;
 * every row names the lines it encodes. A row is a script of events and the
 * adjuster calls it must produce, written {@code REASON ACTION correction-ms}
 * (a guest-service resync is {@code RESYNC}).
 *
 * <p>Events: {@code name=value} is {@code Set_Option}; {@code +N} lets N
 * seconds pass and ticks; {@code sync0}/{@code sync1} is
 * {@code Time_Synchronize}; {@code nohost}/{@code host} make the host clock
 * unreadable or readable again.
 */
class TimeSyncTest {

    static final Instant GUEST = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SECOND = 1_000_000_000L;

    /** The host's clock in a test: offset from the guest, max lag, interrupt lag (null: no GETTIMEFULL_WITH_LAG). */
    record Host(long offsetMillis, long maxLagMillis, Long lagMillis) {
        HostTime time() {
            return new HostTime(GUEST.plusMillis(offsetMillis), Duration.ofMillis(maxLagMillis),
                    lagMillis == null ? Optional.empty() : Optional.of(Duration.ofMillis(lagMillis)),
                    lagMillis == null ? 46 : 55);
        }
    }

    private static final Host BEHIND_5S = new Host(5_000, 1_000, 0L);

    /** Runs {@code script}; returns the adjuster calls and the Time_Synchronize outcomes, in order. */
    static List<String> run(Host host, String service, String... script) {
        List<String> seen = new ArrayList<>();
        boolean[] hostUp = {true};
        ClockAdjuster adjuster = new ClockAdjuster() {
            @Override
            public void adjust(ClockAdjustment a) {
                seen.add(a.reason() + " " + a.action() + " " + a.correction().toMillis()
                        + (a.allowBackward() ? " back" : ""));
            }

            @Override
            public boolean resyncGuestTimeService(ClockAdjustment a) {
                if (service.equals("throws")) {
                    throw new IllegalStateException("w32time is not running");
                }
                if (service.equals("yes")) {
                    seen.add("RESYNC " + a.reason());
                }
                return service.equals("yes");
            }
        };
        TimeSync sync = new TimeSync(() -> hostUp[0] ? Optional.of(host.time()) : Optional.empty(),
                Clock.fixed(GUEST, ZoneOffset.UTC), adjuster, new Callbacks(new CountingLogger()));
        long now = 0;
        for (String event : script) {
            if (event.startsWith("+")) {
                now += Long.parseLong(event.substring(1)) * SECOND;
                sync.tick(now);
            } else if (event.equals("sync0") || event.equals("sync1")) {
                seen.add("-> " + sync.timeSynchronize(event.equals("sync1"), now));
            } else if (event.equals("nohost") || event.equals("host")) {
                hostUp[0] = event.equals("host");
            } else {
                String[] option = event.split("=", 2);
                sync.setOption(option[0], option[1], now);
            }
        }
        return seen;
    }

    private static Arguments row(String why, Host host, String script, String... expected) {
        return Arguments.of(why, host, script, List.of(expected));
    }

    private static void check(Host host, String service, String script, List<String> expected) {
        assertThat(run(host, service, script.isEmpty() ? new String[0] : script.split(" ")))
                .containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> synctimeOneShot() {
        return Stream.of(
                row("940-951: start-up synctime 1 (INITIALIZING) never does the one-shot", BEHIND_5S,
                        "time.synchronize.tools.enable=1 synctime=1", "PERIODIC STEP 5000"),
                row("959-965 then 950-951: synctime 0 stops; 0->1 with tools.enable does the one-shot", BEHIND_5S,
                        "synctime=0 time.synchronize.tools.enable=1 synctime=1",
                        "SYNCTIME_ENABLED STEP 5000 back", "PERIODIC STEP 5000"),
                row("951: the one-shot may step backwards (allowBackwardSync TRUE)", new Host(-5_000, 1_000, 0L),
                        "synctime=0 time.synchronize.tools.enable=1 synctime=1", "SYNCTIME_ENABLED STEP -5000 back"),
                row("950: without tools.enable no one-shot", BEHIND_5S,
                        "synctime=0 synctime=1", "PERIODIC STEP 5000"),
                row("940: synctime 1 while running does nothing", BEHIND_5S,
                        "time.synchronize.tools.enable=1 synctime=1 synctime=1", "PERIODIC STEP 5000"),
                row("960-961, 950-951: 1->0->1 does the one-shot on the second 1 only", BEHIND_5S,
                        "time.synchronize.tools.enable=1 synctime=1 synctime=0 synctime=1", "PERIODIC STEP 5000",
                        "SYNCTIME_ENABLED STEP 5000 back", "PERIODIC STEP 5000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("synctimeOneShot")
    void theSynctimeOneShotHappensOnlyWhenTheLoopWasStopped(String why, Host host, String script, List<String> expected) {
        check(host, "no", script, expected);
    }

    static Stream<Arguments> loopAndPeriod() {
        return Stream.of(
                row("818: starting the loop syncs at once", BEHIND_5S, "synctime=1", "PERIODIC STEP 5000"),
                row("822-824: then once per period (60 s default, 135)", BEHIND_5S, "synctime=1 +59 +1",
                        "PERIODIC STEP 5000", "PERIODIC STEP 5000"),
                row("999: the same period again does not restart the loop", BEHIND_5S,
                        "synctime.period=30 synctime=1 synctime.period=30", "PERIODIC STEP 5000"),
                row("991-992, 999: 0 means 60, the default: no restart", BEHIND_5S,
                        "synctime=1 synctime.period=0", "PERIODIC STEP 5000"),
                row("1002-1004: a new period while running restarts the loop, which syncs at once", BEHIND_5S,
                        "synctime=1 +10 synctime.period=30 +29 +1", "PERIODIC STEP 5000", "PERIODIC STEP 5000",
                        "PERIODIC STEP 5000"),
                row("996-997: while stopped the period is only remembered", BEHIND_5S,
                        "synctime=0 synctime.period=30 +100"),
                row("960-961: synctime 0 stops the loop", BEHIND_5S, "synctime=1 synctime=0 +120",
                        "PERIODIC STEP 5000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loopAndPeriod")
    void thePeriodicLoopStartsWithASyncAndRestartsOnlyOnANewPeriod(String why, Host host, String script,
            List<String> expected) {
        check(host, "no", script, expected);
    }

    static Stream<Arguments> periodicDecision() {
        return Stream.of(
                row("706-710: behind by more than max lag: step forward by host - guest", new Host(3_000, 1_000, 500L),
                        "synctime=1", "PERIODIC STEP 3000"),
                row("706: max lag is compared after the interrupt lag (641): 3 s - 2.5 s < 1 s, no step",
                        new Host(3_000, 1_000, 2_500L), "synctime=1"),
                row("711-715: slew on, lag known: slew by offset - interrupt lag", new Host(3_000, 1_000, 2_500L),
                        "time.synchronize.tools.slewCorrection=1 synctime=1", "PERIODIC SLEW 500"),
                row("711-715: a guest running ahead is slewed back", new Host(-2_000, 1_000, 0L),
                        "time.synchronize.tools.slewCorrection=1 synctime=1", "PERIODIC SLEW -2000"),
                row("706: without slew a guest ahead is left alone (the loop never steps back)",
                        new Host(-2_000, 1_000, 0L), "synctime=1"),
                row("711 (apparentErrorValid): no slew without GETTIMEFULL_WITH_LAG", new Host(-2_000, 1_000, null),
                        "time.synchronize.tools.slewCorrection=1 synctime=1"),
                row("968: slewCorrection is on for any value but 0", new Host(-2_000, 1_000, 0L),
                        "time.synchronize.tools.slewCorrection=7 synctime=1", "PERIODIC SLEW -2000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("periodicDecision")
    void thePeriodicLoopStepsOnlyForwardAndSlewsBothWays(String why, Host host, String script,
            List<String> expected) {
        check(host, "no", script, expected);
    }

    static Stream<Arguments> oneShotDecision() {
        return Stream.of(
                row("659, 686: behind by more than max lag: step by host - guest", BEHIND_5S, "sync0",
                        "TIME_SYNCHRONIZE STEP 5000", "-> SYNCHRONIZED"),
                row("641, 659: the interrupt lag is subtracted first: 1.5 s - 1 s < 1 s", new Host(1_500, 1_000, 1_000L),
                        "sync0", "-> NOT_NEEDED"),
                row("690-692, 719: within max lag nothing is done, and that is success", new Host(500, 1_000, 0L),
                        "sync1", "-> NOT_NEEDED"),
                row("660: ahead, backward not allowed: nothing", new Host(-2_000, 1_000, 0L), "sync0",
                        "-> NOT_NEEDED"),
                row("660, 686: ahead, backward allowed: step back", new Host(-2_000, 1_000, 0L), "sync1",
                        "TIME_SYNCHRONIZE STEP -2000 back", "-> SYNCHRONIZED"),
                row("296: GETTIMEFULL's max lag includes the interrupt lag", new Host(1_500, 2_000, null), "sync0",
                        "-> NOT_NEEDED"),
                row("636-639: no host time: failure", BEHIND_5S, "nohost sync0", "-> NO_HOST_TIME"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneShotDecision")
    void aOneShotStepsOnlyWhenBehindByMoreThanMaxLagOrAheadWithBackwardAllowed(String why, Host host,
            String script, List<String> expected) {
        check(host, "no", script, expected);
    }

    static Stream<Arguments> startup() {
        return Stream.of(
                row("1023-1025: startup 1 steps once", BEHIND_5S, "time.synchronize.tools.startup=1",
                        "STARTUP STEP 5000"),
                row("1030: startup 0 counts as the first time too", BEHIND_5S,
                        "time.synchronize.tools.startup=0 time.synchronize.tools.startup=1"),
                row("1016, 1023: once only", BEHIND_5S,
                        "time.synchronize.tools.startup=1 time.synchronize.tools.startup=1", "STARTUP STEP 5000"),
                row("199, 1025: by default not backwards", new Host(-5_000, 1_000, 0L),
                        "time.synchronize.tools.startup=1"),
                row("1011-1014, 1025: startup.backward before startup allows a backward step",
                        new Host(-5_000, 1_000, 0L),
                        "time.synchronize.tools.startup.backward=1 time.synchronize.tools.startup=1",
                        "STARTUP STEP -5000 back"),
                row("1025: startup.backward after startup is too late", new Host(-5_000, 1_000, 0L),
                        "time.synchronize.tools.startup=1 time.synchronize.tools.startup.backward=1"),
                row("1023-1028: a failed start-up sync is tried again the next time", BEHIND_5S,
                        "nohost time.synchronize.tools.startup=1 host time.synchronize.tools.startup=1",
                        "STARTUP STEP 5000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startup")
    void theStartupSyncHappensOnceAndHonoursStartupBackward(String why, Host host, String script,
            List<String> expected) {
        check(host, "no", script, expected);
    }

    static Stream<Arguments> guestResync() {
        return Stream.of(
                Arguments.of("661-678: a one-shot step goes to the guest's time service", "yes",
                        "time.synchronize.guest.resync=1 sync0", List.of("RESYNC TIME_SYNCHRONIZE", "-> SYNCHRONIZED")),
                Arguments.of("661-662, 684-688: no such service: step as usual", "no",
                        "time.synchronize.guest.resync=1 sync0", List.of("TIME_SYNCHRONIZE STEP 5000",
                                "-> SYNCHRONIZED")),
                Arguments.of("666-670: the resync failed: step instead", "throws",
                        "time.synchronize.guest.resync=1 sync0", List.of("TIME_SYNCHRONIZE STEP 5000",
                                "-> SYNCHRONIZED")),
                Arguments.of("672-677, 589-603: a timeout (ms) adds a step later, backwards allowed", "yes",
                        "time.synchronize.guest.resync=1 time.synchronize.guest.resync.timeout=1500 sync0 +1 +1",
                        List.of("RESYNC TIME_SYNCHRONIZE", "-> SYNCHRONIZED", "GUEST_RESYNC_TIMEOUT STEP 5000 back")),
                Arguments.of("679-682: while that step is pending a one-shot is refused", "yes",
                        "time.synchronize.guest.resync=1 time.synchronize.guest.resync.timeout=5000 sync0 sync0",
                        List.of("RESYNC TIME_SYNCHRONIZE", "-> SYNCHRONIZED", "-> RESYNC_IN_PROGRESS")),
                Arguments.of("693-716: the periodic loop never resyncs", "yes",
                        "time.synchronize.guest.resync=1 synctime=1", List.of("PERIODIC STEP 5000")),
                Arguments.of("1037-1041: resync alone syncs nothing (it is not 're-sync after resume')", "yes",
                        "time.synchronize.guest.resync=1 +100", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guestResync")
    void guestResyncHandsOneShotStepsToTheGuestTimeService(String why, String service, String script,
            List<String> expected) {
        assertThat(run(BEHIND_5S, service, script.split(" "))).as(why).containsExactlyElementsOf(expected);
    }

    static List<String> words(String script) {
        return Arrays.asList(script.split(" "));
    }
}
