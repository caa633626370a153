package dev.vmwguest.tclo;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One correction the host's time-sync policy asks for, decided as VMware
 * Tools decides it (open-vm-tools services/plugins/timeSync/timeSync.c
 * {@code TimeSyncDoSyncWork}, lines 641-716): the host clock, the guest
 * clock, the host's allowed lag, and what to do.
 *
 * <p>The interrupt lag (how far the virtual hardware clock trails the host,
 * reported only by GETTIMEFULL_WITH_LAG) is part of the guest's apparent
 * error: a step is due only when the guest is behind by more than
 * {@code maxLag} after subtracting it (timeSync.c:641, 659, 706), and a slew
 * corrects {@code offset - interruptLag} (timeSync.c:711-713).
 *
 * @param reason        why the synchronisation happens
 * @param action        what to do: step the clock by {@code correction}, or slew it
 * @param hostTime      the host's time (UTC)
 * @param guestTime     this guest's time when the host was asked
 * @param offset        {@code hostTime - guestTime}: positive when the guest is behind
 * @param correction    what to add to the guest clock: for {@link Action#STEP} the whole {@code offset}; for
 *                      {@link Action#SLEW} {@code offset - interruptLag}, of which
 *                      {@link TimeSyncPolicy#percentCorrection()} percent is to be corrected over one
 *                      {@link TimeSyncPolicy#period()}; may be negative (a guest ahead is slowed down)
 * @param maxLag        the host's allowed lag (GETTIMEFULL and GETTIME include the interrupt lag in it)
 * @param interruptLag  the interrupt lag, reported only by GETTIMEFULL_WITH_LAG; slewing needs it
 * @param allowBackward whether this step may set the clock backwards; a negative step is passed only then
 * @param policy        the policy in force
 */
public record ClockAdjustment(Reason reason, Action action, Instant hostTime, Instant guestTime, Duration offset,
        Duration correction, Duration maxLag, Optional<Duration> interruptLag, boolean allowBackward,
        TimeSyncPolicy policy) {

    /**
     * Validates the components.
     *
     * @param reason        why the synchronisation happens
     * @param action        step or slew
     * @param hostTime      the host's time (UTC)
     * @param guestTime     this guest's time when the host was asked
     * @param offset        {@code hostTime - guestTime}
     * @param correction    what to add to the guest clock
     * @param maxLag        the host's allowed lag
     * @param interruptLag  the interrupt lag, if the host reported it
     * @param allowBackward whether a negative step may be applied
     * @param policy        the policy in force
     */
    public ClockAdjustment {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(hostTime, "hostTime");
        Objects.requireNonNull(guestTime, "guestTime");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(correction, "correction");
        Objects.requireNonNull(maxLag, "maxLag");
        Objects.requireNonNull(interruptLag, "interruptLag");
        Objects.requireNonNull(policy, "policy");
    }

    /** Why a synchronisation happens. */
    public enum Reason {
        /** The host sent {@code Time_Synchronize} (a one-shot step; timeSync.c:867-886). */
        TIME_SYNCHRONIZE,
        /** {@code synctime} turned on while the loop was stopped and {@code time.synchronize.tools.enable} was 1. */
        SYNCTIME_ENABLED,
        /** {@code time.synchronize.tools.startup 1}, until one such synchronisation has worked. */
        STARTUP,
        /** The periodic loop: once when it starts (or restarts with a new period), then once per period. */
        PERIODIC,
        /** The step that follows a guest time-service resync after {@code time.synchronize.guest.resync.timeout}. */
        GUEST_RESYNC_TIMEOUT
    }

    /** What the adjuster is asked to do. */
    public enum Action {
        /** Set the clock: add {@code correction} to it at once. */
        STEP,
        /** Change the clock's rate so that it gains {@code correction} (or the policy's share of it) over a period. */
        SLEW
    }
}
