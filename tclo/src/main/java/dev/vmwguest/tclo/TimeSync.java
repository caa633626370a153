package dev.vmwguest.tclo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The host's time-sync policy and what it implies (shared/protocol/tclo.md
 * section 5.1): tracks {@code Set_Option}s, decides whether and when to
 * synchronise, reads the host clock and calls the {@link ClockAdjuster}.
 * Used by the TCLO thread only, except {@link #policy()} and the listeners.
 */
final class TimeSync {

    /** Outcome of one synchronisation attempt. */
    enum Outcome { ADJUSTED, WITHHELD_BACKWARD, NO_HOST_TIME, ADJUSTER_FAILED }

    private final Supplier<Optional<Instant>> hostClock;
    private final Clock guestClock;
    private final ClockAdjuster adjuster;
    private final List<Consumer<TimeSyncPolicy>> listeners = new CopyOnWriteArrayList<>();
    private volatile TimeSyncPolicy policy = TimeSyncPolicy.defaults();
    private boolean startupSeen;
    private long nextPeriodicNanos;
    private boolean periodicScheduled;
    private Optional<Exception> lastFailure = Optional.empty();

    TimeSync(Supplier<Optional<Instant>> hostClock, Clock guestClock, ClockAdjuster adjuster) {
        this.hostClock = hostClock;
        this.guestClock = guestClock;
        this.adjuster = adjuster;
    }

    TimeSyncPolicy policy() {
        return policy;
    }

    TcloSubscription onPolicy(Consumer<TimeSyncPolicy> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    Optional<Exception> lastFailure() {
        return lastFailure;
    }

    /**
     * Applies {@code Set_Option name value}; synchronises if the change calls
     * for it. Options that are not time-sync options, or invalid values, are
     * ignored.
     */
    void setOption(String name, String value, long nowNanos) {
        TimeSyncPolicy before = policy;
        Optional<TimeSyncPolicy> changed = before.withOption(name, value);
        if (changed.isEmpty()) {
            return;
        }
        TimeSyncPolicy after = changed.get();
        policy = after;
        if (!after.equals(before)) {
            listeners.forEach(l -> l.accept(after));
        }
        switch (name) {
            case "synctime" -> {
                if (after.syncTime() && !before.syncTime()) {
                    schedulePeriodic(nowNanos);
                    if (after.toolsEnable()) {
                        synchronize(ClockAdjustment.Reason.SYNCTIME_ENABLED, false);
                    }
                } else if (!after.syncTime()) {
                    periodicScheduled = false;
                }
            }
            case "synctime.period" -> {
                if (after.syncTime()) {
                    schedulePeriodic(nowNanos);
                }
            }
            case "time.synchronize.tools.startup" -> {
                // Only the first time the option is seen, and startup.backward counts only if it came before.
                if (!startupSeen) {
                    startupSeen = true;
                    if (after.startup()) {
                        synchronize(ClockAdjustment.Reason.STARTUP, after.startupBackward());
                    }
                }
            }
            default -> {
                // tracked in the policy only
            }
        }
    }

    /** A periodic synchronisation, when one is due. */
    void tick(long nowNanos) {
        if (periodicScheduled && nowNanos - nextPeriodicNanos >= 0) {
            schedulePeriodic(nowNanos);
            synchronize(ClockAdjustment.Reason.PERIODIC, false);
        }
    }

    /** After {@code OS_Resume}: synchronise only if the host asked for re-syncs after guest events. */
    void resumed() {
        if (policy.guestResync()) {
            synchronize(ClockAdjustment.Reason.RESUME, false);
        }
    }

    /** {@code Time_Synchronize}: one synchronisation now. */
    Outcome timeSynchronize(boolean allowBackward) {
        return synchronize(ClockAdjustment.Reason.TIME_SYNCHRONIZE, allowBackward);
    }

    private void schedulePeriodic(long nowNanos) {
        Duration period = policy.period();
        nextPeriodicNanos = nowNanos + period.toNanos();
        periodicScheduled = true;
    }

    private Outcome synchronize(ClockAdjustment.Reason reason, boolean allowBackward) {
        Optional<Instant> host;
        try {
            host = hostClock.get();
        } catch (RuntimeException e) {
            lastFailure = Optional.of(e);
            return Outcome.NO_HOST_TIME;
        }
        if (host.isEmpty()) {
            return Outcome.NO_HOST_TIME;
        }
        Instant guest = guestClock.instant();
        Duration offset = Duration.between(guest, host.get());
        if (offset.isNegative() && !allowBackward) {
            return Outcome.WITHHELD_BACKWARD;   // never step backwards unless the policy allows it
        }
        try {
            adjuster.adjust(new ClockAdjustment(reason, host.get(), guest, offset, allowBackward, policy));
            return Outcome.ADJUSTED;
        } catch (Exception e) {
            lastFailure = Optional.of(e);
            return Outcome.ADJUSTER_FAILED;
        }
    }
}
