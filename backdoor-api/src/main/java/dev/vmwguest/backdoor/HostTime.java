package dev.vmwguest.backdoor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The host's wall-clock time (UTC) as one backdoor call reported it.
 *
 * @param time         host time, microsecond precision
 * @param maxLag       the largest lag the host allows before it catches up (includes interrupt lag,
 *                     except for {@link BackdoorCommand#GETTIMEFULL_WITH_LAG})
 * @param interruptLag the current interrupt lag, reported only by {@link BackdoorCommand#GETTIMEFULL_WITH_LAG}
 * @param command      which command answered: 55, 46 or 23
 */
public record HostTime(Instant time, Duration maxLag, Optional<Duration> interruptLag, int command) {

    /**
     * Asks the host, trying GETTIMEFULL_WITH_LAG, then GETTIMEFULL, then the
     * 32-bit GETTIME, as VMware Tools' time sync does: one to three backdoor calls.
     *
     * @param backdoor the backdoor to make the calls through
     * @param frame a scratch frame for the calls, overwritten
     * @return empty when the host answers none of them
     */
    public static Optional<HostTime> query(Backdoor backdoor, RegisterFrame frame) {
        for (int command : new int[] {BackdoorCommand.GETTIMEFULL_WITH_LAG, BackdoorCommand.GETTIMEFULL,
                BackdoorCommand.GETTIME}) {
            backdoor.call(frame.command(command));
            Optional<HostTime> time = decode(command, frame);
            if (time.isPresent()) {
                return time;
            }
        }
        return Optional.empty();
    }

    /**
     * Decodes the registers {@code command} returned. Pure. GETTIMEFULL and
     * GETTIMEFULL_WITH_LAG succeed when {@code ax} still holds the magic;
     * GETTIME when {@code ax} is neither {@code 0xFFFFFFFF} nor the magic (which
     * means nothing overwrote it; shared/protocol/backdoor.md section 7).
     *
     * @param command the time command that was sent (GETTIME, GETTIMEFULL or GETTIMEFULL_WITH_LAG)
     * @param out the registers that command returned
     * @return empty when the host did not handle the command
     * @throws BackdoorException if the host answered with microseconds outside 0..999999
     */
    public static Optional<HostTime> decode(int command, RegisterFrame out) {
        long seconds;
        Optional<Duration> interruptLag = Optional.empty();
        switch (command) {
            case BackdoorCommand.GETTIMEFULL_WITH_LAG, BackdoorCommand.GETTIMEFULL -> {
                if (out.ax() != Backdoor.MAGIC) {
                    return Optional.empty();
                }
                seconds = (long) out.si() << 32 | Integer.toUnsignedLong(out.dx());
                if (command == BackdoorCommand.GETTIMEFULL_WITH_LAG) {
                    interruptLag = Optional.of(micros(out.di()));
                }
            }
            case BackdoorCommand.GETTIME -> {
                if (out.ax() == BackdoorCommand.NOT_HANDLED || out.ax() == Backdoor.MAGIC) {
                    return Optional.empty();
                }
                seconds = Integer.toUnsignedLong(out.ax());
            }
            default -> throw new IllegalArgumentException("not a time command: " + command);
        }
        long microseconds = Integer.toUnsignedLong(out.bx());
        if (microseconds >= 1_000_000) {
            throw new BackdoorException("host time command " + command + " returned " + microseconds
                    + " microseconds, outside 0..999999 (registers " + out + ")");
        }
        Instant time = Instant.ofEpochSecond(seconds, microseconds * 1_000);
        return Optional.of(new HostTime(time, micros(out.cx()), interruptLag, command));
    }

    private static Duration micros(int unsigned) {
        return Duration.ofNanos(Integer.toUnsignedLong(unsigned) * 1_000);
    }
}
