package dev.vmwguest.tclo;

import java.lang.System.Logger.Level;

/**
 * What to do with the guest clock when the host's time-sync policy asks for a
 * synchronisation. Called on the TCLO thread; keep it short.
 *
 * <pre>{@code
 * ClockAdjuster adjuster = adjustment -> {
 *     if (adjustment.offset().abs().compareTo(Duration.ofSeconds(1)) > 0) {
 *         System.out.println("guest clock is off by " + adjustment.offset());   // or call chrony, timedatectl...
 *     }
 * };
 * }</pre>
 *
 * <p>The default, {@link #reportOnly()}, only logs the offset: a JVM library
 * must not set the system clock unasked. An adjuster that steps the clock
 * must honour {@link ClockAdjustment#allowBackward()}; {@link TcloEvents}
 * already withholds backward adjustments the policy does not allow.
 */
@FunctionalInterface
public interface ClockAdjuster {

    /**
     * Acts on one synchronisation.
     *
     * @param adjustment the host's time, the guest's, and what the host asked for
     * @throws Exception if the clock could not be adjusted; a host {@code Time_Synchronize} is then answered
     *         {@code ERROR Unable to sync time}
     */
    void adjust(ClockAdjustment adjustment) throws Exception;

    /**
     * Logs the offset (logger {@code dev.vmwguest.tclo.TimeSync}, level INFO) and changes nothing.
     *
     * @return an adjuster that only reports
     */
    static ClockAdjuster reportOnly() {
        System.Logger logger = System.getLogger("dev.vmwguest.tclo.TimeSync");
        return adjustment -> logger.log(Level.INFO, "host time sync (" + adjustment.reason() + "): guest clock is "
                + adjustment.offset() + " behind the host; not adjusted (no ClockAdjuster configured)");
    }
}
