package dev.vmwguest.tclo;

import java.lang.System.Logger.Level;

/**
 * What to do with the guest clock when the host's time-sync policy asks for a
 * correction. {@link TcloEvents} decides whether to step or slew and by how
 * much, as VMware Tools does ({@link ClockAdjustment}); the adjuster carries
 * it out. Called on the TCLO thread; keep it short.
 *
 * <pre>{@code
 * ClockAdjuster adjuster = adjustment -> {
 *     if (adjustment.action() == ClockAdjustment.Action.STEP) {
 *         System.out.println("step the clock by " + adjustment.correction());   // or call chrony, timedatectl...
 *     }
 * };
 * }</pre>
 *
 * <p>The default, {@link #reportOnly()}, only logs: a JVM library must not
 * set the system clock unasked. With it, {@code Time_Synchronize} is answered
 * as by VMware Tools without its time-sync plugin ({@code ERROR Unknown Command}).
 */
@FunctionalInterface
public interface ClockAdjuster {

    /**
     * Carries out one correction.
     *
     * @param adjustment what to do
     * @throws Exception if the clock could not be adjusted; a host {@code Time_Synchronize} is then answered
     *         {@code ERROR Unable to sync time}
     */
    void adjust(ClockAdjustment adjustment) throws Exception;

    /**
     * With {@code time.synchronize.guest.resync 1}, a one-shot step is first
     * offered to the guest's own time service (timeSync.c:661-678, the
     * Windows w32time resync; open-vm-tools on Linux has no such service,
     * timeSyncPosix.c:131-135). Return true when the service was asked to
     * resynchronise; false (the default) to have the step done by
     * {@link #adjust}. Throwing also leads to the step (timeSync.c:666-670).
     *
     * @param adjustment the step that would otherwise be done
     * @return whether the guest's time service took it over
     * @throws Exception if the service could not be asked
     */
    default boolean resyncGuestTimeService(ClockAdjustment adjustment) throws Exception {
        return false;
    }

    /**
     * Whether this adjuster changes the clock. False only for
     * {@link #reportOnly()}: {@code Time_Synchronize} is then not claimed.
     *
     * @return true unless this adjuster only reports
     */
    default boolean changesClock() {
        return true;
    }

    /**
     * Logs each correction the host's policy asks for (logger
     * {@code dev.vmwguest.tclo.TimeSync}, level INFO) and changes nothing.
     *
     * @return the report-only adjuster
     */
    static ClockAdjuster reportOnly() {
        System.Logger logger = System.getLogger("dev.vmwguest.tclo.TimeSync");
        return new ClockAdjuster() {
            @Override
            public void adjust(ClockAdjustment adjustment) {
                logger.log(Level.INFO, "host time sync (" + adjustment.reason() + "): would " + adjustment.action()
                        + " the guest clock by " + adjustment.correction() + "; not adjusted (no ClockAdjuster"
                        + " configured)");
            }

            @Override
            public boolean changesClock() {
                return false;
            }
        };
    }
}
