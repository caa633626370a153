package dev.vmwguest.tclo;

import java.time.Duration;
import java.util.Optional;

/**
 * The host's time-synchronisation settings, as its {@code Set_Option}
 * commands left them (shared/protocol/tclo.md section 5.1). Until the host
 * says otherwise every switch is off: a JVM library does not touch the clock
 * on its own initiative.
 *
 * <pre>{@code
 * TimeSyncPolicy policy = TimeSyncPolicy.defaults()
 *         .withOption("synctime", "1").orElseThrow()
 *         .withOption("synctime.period", "0").orElseThrow();
 * assert policy.syncTime() && policy.period().equals(Duration.ofSeconds(60));
 * }</pre>
 *
 * @param syncTime            {@code synctime}: periodic synchronisation on
 * @param period              {@code synctime.period}: the period; 0 seconds on the wire means the default 60 s
 * @param toolsEnable         {@code time.synchronize.tools.enable}: a 0 to 1 change of {@code synctime} also
 *                            synchronises once
 * @param startup             {@code time.synchronize.tools.startup}: synchronise once when the tools start
 *                            (acted on only the first time the host sends it)
 * @param startupBackward     {@code time.synchronize.tools.startup.backward}: that start-up synchronisation may
 *                            step the clock backwards (effective only if it arrives before {@code startup})
 * @param slewCorrection      {@code time.synchronize.tools.slewCorrection}: slew rather than step
 * @param percentCorrection   {@code time.synchronize.tools.percentCorrection}: percentage of the error to correct
 *                            per period, 1..100 (anything else on the wire means 50)
 * @param guestResync         {@code time.synchronize.guest.resync}: offer one-shot steps to the guest's own time
 *                            service first ({@link ClockAdjuster#resyncGuestTimeService}); not a resync after resume
 *                            (open-vm-tools timeSync.c:101-104, 661-678)
 * @param guestResyncTimeout  {@code time.synchronize.guest.resync.timeout}: if non-zero, step anyway this many
 *                            milliseconds after such a resync (glib timer units, timeSync.c:672-677)
 */
public record TimeSyncPolicy(boolean syncTime, Duration period, boolean toolsEnable, boolean startup,
        boolean startupBackward, boolean slewCorrection, int percentCorrection, boolean guestResync,
        long guestResyncTimeout) {

    /** The period used when the host sends 0 or nothing. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(60);
    /** The correction percentage used when the host sends a value outside 1..100. */
    public static final int DEFAULT_PERCENT_CORRECTION = 50;

    /**
     * Validates the components.
     *
     * @param syncTime {@code synctime}: periodic synchronisation on
     * @param period {@code synctime.period}: the period
     * @param toolsEnable {@code time.synchronize.tools.enable}
     * @param startup {@code time.synchronize.tools.startup}: synchronise once when the tools start
     * @param startupBackward {@code time.synchronize.tools.startup.backward}: that synchronisation may step back
     * @param slewCorrection {@code time.synchronize.tools.slewCorrection}: slew rather than step
     * @param percentCorrection {@code time.synchronize.tools.percentCorrection}: percentage of the error to correct
     * @param guestResync {@code time.synchronize.guest.resync}: synchronise again after guest events
     * @param guestResyncTimeout {@code time.synchronize.guest.resync.timeout}, as sent
     */
    public TimeSyncPolicy {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        if (percentCorrection < 1 || percentCorrection > 100) {
            throw new IllegalArgumentException("percentCorrection must be 1..100: " + percentCorrection);
        }
    }

    /**
     * Everything off, period 60 s, 50 % correction.
     *
     * @return the policy before any {@code Set_Option}
     */
    public static TimeSyncPolicy defaults() {
        return new TimeSyncPolicy(false, DEFAULT_PERIOD, false, false, false, false, DEFAULT_PERCENT_CORRECTION,
                false, 0);
    }

    /**
     * Whether {@code option} is one of the time-sync options this policy tracks.
     *
     * @param option the option name from {@code Set_Option}
     * @return whether {@code option} is one of the time-sync options this policy tracks
     */
    public static boolean isTimeSyncOption(String option) {
        return switch (option) {
            case "synctime", "synctime.period", "time.synchronize.tools.enable", "time.synchronize.tools.startup",
                    "time.synchronize.tools.startup.backward", "time.synchronize.tools.slewCorrection",
                    "time.synchronize.tools.percentCorrection", "time.synchronize.guest.resync",
                    "time.synchronize.guest.resync.timeout" -> true;
            default -> false;
        };
    }

    /**
     * This policy after {@code Set_Option <option> <value>}. Pure.
     *
     * @param option the option name from {@code Set_Option}
     * @param value the option's new value, as sent
     * @return empty when {@code option} is not a time-sync option or {@code value} is not valid for it
     *         (the policy then stays as it was)
     */
    public Optional<TimeSyncPolicy> withOption(String option, String value) {
        try {
            return Optional.ofNullable(switch (option) {
                case "synctime" -> new TimeSyncPolicy(bool(value), period, toolsEnable, startup, startupBackward,
                        slewCorrection, percentCorrection, guestResync, guestResyncTimeout);
                case "synctime.period" -> {
                    long seconds = unsigned(value);
                    yield new TimeSyncPolicy(syncTime, seconds == 0 ? DEFAULT_PERIOD : Duration.ofSeconds(seconds),
                            toolsEnable, startup, startupBackward, slewCorrection, percentCorrection, guestResync,
                            guestResyncTimeout);
                }
                case "time.synchronize.tools.enable" -> new TimeSyncPolicy(syncTime, period, bool(value), startup,
                        startupBackward, slewCorrection, percentCorrection, guestResync, guestResyncTimeout);
                case "time.synchronize.tools.startup" -> new TimeSyncPolicy(syncTime, period, toolsEnable,
                        bool(value), startupBackward, slewCorrection, percentCorrection, guestResync,
                        guestResyncTimeout);
                case "time.synchronize.tools.startup.backward" -> new TimeSyncPolicy(syncTime, period, toolsEnable,
                        startup, bool(value), slewCorrection, percentCorrection, guestResync, guestResyncTimeout);
                case "time.synchronize.tools.slewCorrection" -> new TimeSyncPolicy(syncTime, period, toolsEnable,
                        startup, startupBackward, !value.equals("0"), percentCorrection, guestResync,
                        guestResyncTimeout);
                case "time.synchronize.tools.percentCorrection" -> {
                    long percent = Long.parseLong(value.strip());
                    yield new TimeSyncPolicy(syncTime, period, toolsEnable, startup, startupBackward, slewCorrection,
                            percent >= 1 && percent <= 100 ? (int) percent : DEFAULT_PERCENT_CORRECTION, guestResync,
                            guestResyncTimeout);
                }
                case "time.synchronize.guest.resync" -> new TimeSyncPolicy(syncTime, period, toolsEnable, startup,
                        startupBackward, slewCorrection, percentCorrection, bool(value), guestResyncTimeout);
                case "time.synchronize.guest.resync.timeout" -> new TimeSyncPolicy(syncTime, period, toolsEnable,
                        startup, startupBackward, slewCorrection, percentCorrection, guestResync, unsigned(value));
                default -> null;
            });
        } catch (IllegalArgumentException invalid) {   // includes NumberFormatException
            return Optional.empty();
        }
    }

    private static boolean bool(String value) {
        return switch (value.strip()) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException("not 0 or 1: " + value);
        };
    }

    private static long unsigned(String value) {
        long number = Long.parseLong(value.strip());
        if (number < 0 || number > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an unsigned 32-bit number: " + value);
        }
        return number;
    }
}
