package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.tclo.ClockAdjustment.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy table (shared/protocol/tclo.md section 5.1): sequences of
 * {@code Set_Option}s and events, and whether, why and in which direction the
 * adjuster is called.
 */
class TimeSyncTest {

    private static final Instant GUEST = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SECOND = 1_000_000_000L;

    private final List<ClockAdjustment> calls = new ArrayList<>();
    private Instant host = GUEST.plusSeconds(5);     // guest 5 s behind unless a test says otherwise
    private final TimeSync sync = new TimeSync(() -> Optional.of(host), Clock.fixed(GUEST, ZoneOffset.UTC), calls::add);

    /** One row: options in order (name=value; "resume" is OS_Resume), the host offset, the expected calls. */
    static Stream<Arguments> table() {
        return Stream.of(
                row("nothing from the host: never", List.of(), 5),
                row("synctime 1 alone: periodic only, no one-shot", List.of("synctime=1"), 5),
                row("host order at start-up (synctime before tools.enable): no one-shot",
                        List.of("synctime=1", "time.synchronize.tools.enable=1"), 5),
                row("tools.enable then synctime 0->1: one-shot forward",
                        List.of("time.synchronize.tools.enable=1", "synctime=1"), 5, "SYNCTIME_ENABLED+"),
                row("synctime 1 again (no transition): nothing",
                        List.of("time.synchronize.tools.enable=1", "synctime=1", "synctime=1"), 5, "SYNCTIME_ENABLED+"),
                row("synctime 1->0->1: a second one-shot",
                        List.of("time.synchronize.tools.enable=1", "synctime=1", "synctime=0", "synctime=1"), 5,
                        "SYNCTIME_ENABLED+", "SYNCTIME_ENABLED+"),
                row("one-shot never steps backwards",
                        List.of("time.synchronize.tools.enable=1", "synctime=1"), -5),
                row("startup 1: one sync", List.of("time.synchronize.tools.startup=1"), 5, "STARTUP+"),
                row("startup 0: none", List.of("time.synchronize.tools.startup=0"), 5),
                row("startup only the first time it is seen",
                        List.of("time.synchronize.tools.startup=0", "time.synchronize.tools.startup=1"), 5),
                row("startup repeated: once",
                        List.of("time.synchronize.tools.startup=1", "time.synchronize.tools.startup=1"), 5, "STARTUP+"),
                row("startup with the guest ahead: not backwards",
                        List.of("time.synchronize.tools.startup=1"), -5),
                row("startup.backward before startup: may step backwards",
                        List.of("time.synchronize.tools.startup.backward=1", "time.synchronize.tools.startup=1"), -5,
                        "STARTUP-"),
                row("startup.backward after startup: too late",
                        List.of("time.synchronize.tools.startup=1", "time.synchronize.tools.startup.backward=1"), -5),
                row("resume without guest.resync: none", List.of("resume"), 5),
                row("resume with guest.resync: one forward",
                        List.of("time.synchronize.guest.resync=1", "resume"), 5, "RESUME+"),
                row("resume with guest.resync, guest ahead: none",
                        List.of("time.synchronize.guest.resync=1", "resume"), -5),
                row("invalid values change nothing",
                        List.of("time.synchronize.tools.enable=yes", "synctime=1"), 5),
                row("other options are ignored", List.of("broadcastIP=1", "autohide=0"), 5));
    }

    private static Arguments row(String title, List<String> events, int offsetSeconds, String... expected) {
        return Arguments.of(title, events, offsetSeconds, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void optionSequencesDecideWhetherAndWhichWayTheClockIsAdjusted(String title, List<String> events,
            int offsetSeconds, List<String> expected) {
        host = GUEST.plusSeconds(offsetSeconds);
        long now = 0;
        for (String event : events) {
            if (event.equals("resume")) {
                sync.resumed();
            } else {
                String[] option = event.split("=", 2);
                sync.setOption(option[0], option[1], now);
            }
            now += SECOND;
        }

        assertThat(calls.stream().map(c -> c.reason() + (c.offset().isNegative() ? "-" : "+"))).containsExactlyElementsOf(expected);
        calls.forEach(c -> assertThat(c.offset()).isEqualTo(Duration.ofSeconds(offsetSeconds)));
    }

    @Test
    void periodicSyncRunsOncePerPeriodWhileSynctimeIsOn() {
        sync.setOption("synctime.period", "30", 0);
        sync.setOption("synctime", "1", 0);

        sync.tick(29 * SECOND);
        assertThat(calls).isEmpty();
        sync.tick(30 * SECOND);
        sync.tick(31 * SECOND);
        sync.tick(60 * SECOND);
        assertThat(calls).extracting(ClockAdjustment::reason).containsExactly(Reason.PERIODIC, Reason.PERIODIC);

        sync.setOption("synctime", "0", 61 * SECOND);
        sync.tick(1000 * SECOND);
        assertThat(calls).hasSize(2);
    }

    @Test
    void periodZeroMeansSixtySeconds() {
        sync.setOption("synctime.period", "0", 0);
        sync.setOption("synctime", "1", 0);

        sync.tick(59 * SECOND);
        assertThat(calls).isEmpty();
        sync.tick(60 * SECOND);
        assertThat(calls).hasSize(1);
        assertThat(sync.policy().period()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void periodicSyncNeverStepsBackwards() {
        host = GUEST.minusSeconds(3);
        sync.setOption("synctime", "1", 0);

        sync.tick(60 * SECOND);

        assertThat(calls).isEmpty();
    }

    @Test
    void timeSynchronizeHonoursItsBackwardFlag() {
        host = GUEST.minusSeconds(3);

        assertThat(sync.timeSynchronize(false)).isEqualTo(TimeSync.Outcome.WITHHELD_BACKWARD);
        assertThat(sync.timeSynchronize(true)).isEqualTo(TimeSync.Outcome.ADJUSTED);

        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo(Reason.TIME_SYNCHRONIZE);
            assertThat(c.allowBackward()).isTrue();
            assertThat(c.offset()).isEqualTo(Duration.ofSeconds(-3));
            assertThat(c.hostTime()).isEqualTo(host);
            assertThat(c.guestTime()).isEqualTo(GUEST);
        });
    }

    @Test
    void noHostTimeOrAFailingAdjusterIsReported() {
        TimeSync noHost = new TimeSync(Optional::empty, Clock.systemUTC(), calls::add);
        TimeSync failing = new TimeSync(() -> Optional.of(host), Clock.fixed(GUEST, ZoneOffset.UTC), a -> {
            throw new IllegalStateException("no permission");
        });

        assertThat(noHost.timeSynchronize(true)).isEqualTo(TimeSync.Outcome.NO_HOST_TIME);
        assertThat(failing.timeSynchronize(true)).isEqualTo(TimeSync.Outcome.ADJUSTER_FAILED);
        assertThat(failing.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("no permission");
    }

    @Test
    void thePolicyTracksEveryOptionAndTellsListenersOfChanges() {
        List<TimeSyncPolicy> seen = new ArrayList<>();
        sync.onPolicy(seen::add);

        for (String option : List.of("synctime=1", "synctime.period=120", "time.synchronize.tools.enable=1",
                "time.synchronize.tools.startup=0", "time.synchronize.tools.startup.backward=1",
                "time.synchronize.tools.slewCorrection=7", "time.synchronize.tools.percentCorrection=0",
                "time.synchronize.guest.resync=1", "time.synchronize.guest.resync.timeout=30", "synctime=1")) {
            String[] pair = option.split("=");
            sync.setOption(pair[0], pair[1], 0);
        }

        assertThat(sync.policy()).isEqualTo(new TimeSyncPolicy(true, Duration.ofSeconds(120), true, false, true, true,
                50, true, 30));
        assertThat(seen).hasSize(7);   // "startup 0", "percentCorrection 0" (means 50) and the repeated synctime change nothing
    }
}
