package dev.vmwguest.tclo;

import dev.vmwguest.backdoor.HostTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether and how to correct the guest clock, as open-vm-tools'
 * {@code TimeSyncDoSyncWork} decides (services/plugins/timeSync/timeSync.c
 * lines 641-716). Pure.
 *
 * <p>In timeSync.c's terms: apparentError = -interruptLag (line 299, only
 * with GETTIMEFULL_WITH_LAG), gosError = guest - host - apparentError (641).
 * With offset = host - guest that is gosError = interruptLag - offset.
 */
final class TimeSyncDecision {

    private TimeSyncDecision() {
    }

    /**
     * A one-shot synchronisation (Time_Synchronize, start-up, synctime
     * 0 to 1): step when the guest is behind by more than maxLag after the
     * interrupt lag (gosError < -maxTimeError, line 659), or when it is ahead
     * and a backward step is allowed (gosError + apparentError > 0, line 660);
     * the step is host - guest (line 686). Otherwise nothing (690-692).
     */
    static Optional<ClockAdjustment> oneShot(ClockAdjustment.Reason reason, HostTime host, Instant guest,
            boolean allowBackward, TimeSyncPolicy policy) {
        Duration offset = Duration.between(guest, host.time());
        Duration lag = host.interruptLag().orElse(Duration.ZERO);
        boolean behind = offset.minus(lag).compareTo(host.maxLag()) > 0;
        boolean ahead = offset.isNegative();
        if (!behind && !(ahead && allowBackward)) {
            return Optional.empty();
        }
        return Optional.of(new ClockAdjustment(reason, ClockAdjustment.Action.STEP, host.time(), guest, offset,
                offset, host.maxLag(), host.interruptLag(), allowBackward, policy));
    }

    /**
     * A periodic synchronisation: step forward when the guest is behind by
     * more than maxLag after the interrupt lag (lines 706-710, never
     * backwards); otherwise, with slew correction on and the interrupt lag
     * known, slew by -gosError = offset - interruptLag whatever its sign, so a
     * guest running ahead is slowed down (lines 711-715).
     */
    static Optional<ClockAdjustment> periodic(HostTime host, Instant guest, TimeSyncPolicy policy) {
        Duration offset = Duration.between(guest, host.time());
        Duration lag = host.interruptLag().orElse(Duration.ZERO);
        ClockAdjustment.Reason reason = ClockAdjustment.Reason.PERIODIC;
        if (offset.minus(lag).compareTo(host.maxLag()) > 0) {
            return Optional.of(new ClockAdjustment(reason, ClockAdjustment.Action.STEP, host.time(), guest, offset,
                    offset, host.maxLag(), host.interruptLag(), false, policy));
        }
        if (policy.slewCorrection() && host.interruptLag().isPresent()) {
            return Optional.of(new ClockAdjustment(reason, ClockAdjustment.Action.SLEW, host.time(), guest, offset,
                    offset.minus(lag), host.maxLag(), host.interruptLag(), false, policy));
        }
        return Optional.empty();
    }
}
