package dev.vmwguest.tclo;

import java.time.Duration;
import java.time.Instant;

/**
 * One synchronisation the host's policy asks for: the host clock (read with
 * GETTIMEFULL), the guest clock at that moment, and what may be done about
 * the difference.
 *
 * @param reason        why the synchronisation happens
 * @param hostTime      the host's time (UTC)
 * @param guestTime     this guest's time when the host was asked
 * @param offset        {@code hostTime - guestTime}: positive when the guest is behind
 * @param allowBackward whether the policy allows stepping the clock backwards; {@link TcloEvents} never passes
 *                      a negative offset when it is false
 * @param policy        the policy in force (slew, correction percentage)
 */
public record ClockAdjustment(Reason reason, Instant hostTime, Instant guestTime, Duration offset,
        boolean allowBackward, TimeSyncPolicy policy) {

    /** Why a synchronisation happens. */
    public enum Reason {
        /** The host sent {@code Time_Synchronize}. */
        TIME_SYNCHRONIZE,
        /** {@code synctime} changed from 0 to 1 while {@code time.synchronize.tools.enable} was 1. */
        SYNCTIME_ENABLED,
        /** {@code time.synchronize.tools.startup 1}, the first time the host sent it. */
        STARTUP,
        /** The periodic synchronisation ({@code synctime 1}), once per {@code synctime.period}. */
        PERIODIC,
        /** {@code OS_Resume} while {@code time.synchronize.guest.resync} is 1. */
        RESUME
    }
}
