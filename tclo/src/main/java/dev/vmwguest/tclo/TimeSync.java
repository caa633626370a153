package dev.vmwguest.tclo;

import dev.vmwguest.backdoor.HostTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The host's time-sync policy and what VMware Tools does with it
 * (open-vm-tools services/plugins/timeSync/timeSync.c, {@code TimeSyncSetOption}
 * lines 924-1054): tracks {@code Set_Option}s, runs the periodic loop, and
 * calls the {@link ClockAdjuster} with the corrections {@link TimeSyncDecision}
 * asks for. Used by the TCLO thread only, except {@link #policy()} and the
 * listeners.
 */
final class TimeSync {

    /** Outcome of one synchronisation attempt. */
    enum Outcome {
        /** A correction was made, or handed to the guest's time service. */
        SYNCHRONIZED,
        /** The clocks agree within the host's max lag: nothing to do, which counts as success (timeSync.c:690-692). */
        NOT_NEEDED,
        /** The host clock could not be read (timeSync.c:636-639). */
        NO_HOST_TIME,
        /** The adjuster failed. */
        ADJUSTER_FAILED,
        /** A guest time-service resync is waiting for its follow-up step (timeSync.c:679-682). */
        RESYNC_IN_PROGRESS;

        boolean succeeded() {
            return this == SYNCHRONIZED || this == NOT_NEEDED;
        }
    }

    /** timeSync.c:159-163: the loop is INITIALIZING until the first {@code synctime}. */
    private enum LoopState { INITIALIZING, STOPPED, RUNNING }

    private final Supplier<Optional<HostTime>> hostClock;
    private final Clock guestClock;
    private final ClockAdjuster adjuster;
    private final Callbacks callbacks;
    private final List<Consumer<TimeSyncPolicy>> listeners = new CopyOnWriteArrayList<>();
    private volatile TimeSyncPolicy policy = TimeSyncPolicy.defaults();
    private LoopState loop = LoopState.INITIALIZING;
    private boolean startupDone;
    private long nextPeriodicNanos;
    private boolean resyncStepPending;
    private long resyncStepNanos;
    private long nowNanos;

    TimeSync(Supplier<Optional<HostTime>> hostClock, Clock guestClock, ClockAdjuster adjuster, Callbacks callbacks) {
        this.hostClock = hostClock;
        this.guestClock = guestClock;
        this.adjuster = adjuster;
        this.callbacks = callbacks;
    }

    TimeSyncPolicy policy() {
        return policy;
    }

    boolean adjusterChangesClock() {
        return adjuster.changesClock();
    }

    TcloSubscription onPolicy(Consumer<TimeSyncPolicy> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Applies {@code Set_Option name value}; invalid values and other options change nothing. */
    void setOption(String name, String value, long now) {
        nowNanos = now;
        TimeSyncPolicy before = policy;
        Optional<TimeSyncPolicy> changed = before.withOption(name, value);
        if (changed.isEmpty()) {
            return;
        }
        TimeSyncPolicy after = changed.get();
        policy = after;
        if (!after.equals(before)) {
            for (Consumer<TimeSyncPolicy> listener : listeners) {
                callbacks.run("time-sync policy listener", () -> {
                    listener.accept(after);
                    return null;
                });
            }
        }
        switch (name) {
            case "synctime" -> {
                if (after.syncTime() && loop != LoopState.RUNNING) {
                    // The one-shot only when the loop was stopped, never from INITIALIZING: at start-up the host
                    // sends synctime before tools.enable, and start-up is tools.startup's business (940-952).
                    if (loop == LoopState.STOPPED && after.toolsEnable()) {
                        oneShot(ClockAdjustment.Reason.SYNCTIME_ENABLED, true, true);
                    }
                    startLoop();
                } else if (!after.syncTime()) {
                    loop = LoopState.STOPPED;   // also from INITIALIZING (959-965)
                }
            }
            case "synctime.period" -> {
                // Restart (which syncs at once) only when the effective period changed (999-1009).
                if (!after.period().equals(before.period()) && loop == LoopState.RUNNING) {
                    startLoop();
                }
            }
            case "time.synchronize.tools.startup" -> {
                // Done once; a sync that failed leaves it to the next time the option arrives (1023-1030).
                if (after.startup() && !startupDone
                        && !oneShot(ClockAdjustment.Reason.STARTUP, after.startupBackward(), true).succeeded()) {
                    return;
                }
                startupDone = true;
            }
            default -> {
                // tracked in the policy only
            }
        }
    }

    /** The periodic synchronisation and the guest-resync follow-up step, when due. */
    void tick(long now) {
        nowNanos = now;
        if (resyncStepPending && now - resyncStepNanos >= 0) {
            resyncStepPending = false;   // timeSync.c:589-603: the follow-up step, backwards allowed, no resync
            oneShot(ClockAdjustment.Reason.GUEST_RESYNC_TIMEOUT, true, false);
        }
        if (loop == LoopState.RUNNING && now - nextPeriodicNanos >= 0) {
            nextPeriodicNanos = now + policy.period().toNanos();
            periodic();
        }
    }

    /** {@code Time_Synchronize <allowBackward>}: one step now, if needed (timeSync.c:867-886). */
    Outcome timeSynchronize(boolean allowBackward, long now) {
        nowNanos = now;
        return oneShot(ClockAdjustment.Reason.TIME_SYNCHRONIZE, allowBackward, true);
    }

    /** timeSync.c:801-828: the loop syncs at once when it starts, then once per period. */
    private void startLoop() {
        loop = LoopState.RUNNING;
        nextPeriodicNanos = nowNanos + policy.period().toNanos();
        periodic();
    }

    private Outcome periodic() {
        Optional<HostTime> host = readHost();
        if (host.isEmpty()) {
            return Outcome.NO_HOST_TIME;
        }
        return TimeSyncDecision.periodic(host.get(), guestClock.instant(), policy).map(this::adjust)
                .orElse(Outcome.NOT_NEEDED);
    }

    private Outcome oneShot(ClockAdjustment.Reason reason, boolean allowBackward, boolean mayResync) {
        Optional<HostTime> host = readHost();
        if (host.isEmpty()) {
            return Outcome.NO_HOST_TIME;
        }
        Optional<ClockAdjustment> step = TimeSyncDecision.oneShot(reason, host.get(), guestClock.instant(),
                allowBackward, policy);
        if (step.isEmpty()) {
            return Outcome.NOT_NEEDED;
        }
        if (mayResync && policy.guestResync()) {
            if (resyncStepPending) {
                return Outcome.RESYNC_IN_PROGRESS;
            }
            boolean resynced;
            try {
                resynced = callbacks.call("ClockAdjuster guest resync", () -> adjuster.resyncGuestTimeService(
                        step.get()));
            } catch (Callbacks.Failure failed) {
                resynced = false;   // timeSync.c:666-670: the resync failed, step instead
            }
            if (resynced) {
                long timeout = policy.guestResyncTimeout();
                if (timeout > 0) {
                    // glib's g_timeout_source_new takes milliseconds (timeSync.c:673-674), whatever the comment
                    // at timeSync.c:106-110 says about seconds.
                    resyncStepPending = true;
                    resyncStepNanos = nowNanos + Duration.ofMillis(timeout).toNanos();
                }
                return Outcome.SYNCHRONIZED;
            }
        }
        return adjust(step.get());
    }

    private Outcome adjust(ClockAdjustment adjustment) {
        return callbacks.run("ClockAdjuster", () -> {
            adjuster.adjust(adjustment);
            return null;
        }) ? Outcome.SYNCHRONIZED : Outcome.ADJUSTER_FAILED;
    }

    private Optional<HostTime> readHost() {
        try {
            return callbacks.call("host clock", hostClock::get);
        } catch (Callbacks.Failure failed) {
            return Optional.empty();
        }
    }
}
