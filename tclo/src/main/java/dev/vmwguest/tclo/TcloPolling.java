package dev.vmwguest.tclo;

import java.time.Duration;

/**
 * How often {@link TcloEvents} polls and how it backs off after failures.
 *
 * <p>{@link #defaults()}: after a command, poll again at once; after each
 * empty poll wait 10, 20, 40, 80, then 100 ms (VMware Tools' back-off,
 * shared/protocol/tclo.md section 3), so a command is picked up within 100 ms
 * while the host is active. After {@code quietAfter} (10 s) without a command
 * other than {@code ping}, poll once a second, as the BSD vmt(4) drivers do:
 * an idle poll costs 2 backdoor calls, so 2 calls a second at rest instead of
 * 20, and a command waits at most about a second. {@link #vmwareTools()}
 * keeps the 100 ms interval for ever, as vmtoolsd does.
 *
 * <p>After a channel failure the channel is reopened after 1 s, as vmtoolsd
 * does (open-vm-tools lib/rpcChannel/rpcChannel.c:187-190), and each further
 * consecutive failure doubles the wait up to 15 s (the BSD drivers' reopen
 * back-off); after {@code maxFailures} consecutive failures without a working
 * channel, polling stops with an error (vmtoolsd's bound is 60,
 * rpcChannel.c:93).
 *
 * <pre>{@code
 * TcloPolling gentle = TcloPolling.defaults().withQuietPolling(Duration.ofSeconds(30), Duration.ofSeconds(1));
 * TcloPolling likeVmtoolsd = TcloPolling.vmwareTools();
 * }</pre>
 *
 * @param firstIdleDelay  wait after the first empty poll; doubled after each further one
 * @param maxIdleDelay    the longest wait between polls while the host is active
 * @param quietAfter      how long after the last command (other than {@code ping}) the host counts as quiet
 * @param quietDelay      the wait between polls once the host is quiet; at least {@code maxIdleDelay}
 * @param firstRetryDelay wait before reopening after a channel failure
 * @param maxRetryDelay   the longest wait before reopening
 * @param maxFailures     consecutive failures (open or exchange) without a working channel before giving up
 */
public record TcloPolling(Duration firstIdleDelay, Duration maxIdleDelay, Duration quietAfter, Duration quietDelay,
        Duration firstRetryDelay, Duration maxRetryDelay, int maxFailures) {

    /**
     * Validates the delays.
     *
     * @param firstIdleDelay  wait after the first empty poll
     * @param maxIdleDelay    the longest wait between polls while the host is active
     * @param quietAfter      how long without a command makes the host quiet
     * @param quietDelay      the wait between polls once the host is quiet
     * @param firstRetryDelay wait before reopening after a channel failure
     * @param maxRetryDelay   the longest wait before reopening
     * @param maxFailures     consecutive failures before giving up
     * @throws IllegalArgumentException if a delay is out of order or not positive, or maxFailures is below 1
     */
    public TcloPolling {
        if (firstIdleDelay.isNegative() || firstIdleDelay.isZero() || maxIdleDelay.compareTo(firstIdleDelay) < 0) {
            throw new IllegalArgumentException("need 0 < firstIdleDelay <= maxIdleDelay: " + firstIdleDelay + ", "
                    + maxIdleDelay);
        }
        if (quietAfter.isNegative() || quietDelay.compareTo(maxIdleDelay) < 0) {
            throw new IllegalArgumentException("need quietAfter >= 0 and quietDelay >= maxIdleDelay: " + quietAfter
                    + ", " + quietDelay);
        }
        if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
            throw new IllegalArgumentException("need 0 < firstRetryDelay <= maxRetryDelay: " + firstRetryDelay + ", "
                    + maxRetryDelay);
        }
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1: " + maxFailures);
        }
    }

    /**
     * The default: 10 ms doubling to 100 ms while the host is active, 1 s after
     * 10 s without a command; reopen after 1 s doubling to 15 s; 60 failures.
     *
     * @return the default settings
     */
    public static TcloPolling defaults() {
        return new TcloPolling(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(15), 60);
    }

    /**
     * VMware Tools' timing (open-vm-tools lib/rpcIn/rpcin.c:1407-1419 with
     * RPCIN_MAX_DELAY 10 from rpcChannelInt.h:39; rpcChannel.c:187-190): 10 ms
     * doubling to 100 ms, never slower, about 20 backdoor calls a second at rest;
     * reopen after 1 s, every time; 60 failures.
     *
     * @return vmtoolsd's settings
     */
    public static TcloPolling vmwareTools() {
        return new TcloPolling(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 60);
    }

    /**
     * These settings with other idle delays while the host is active.
     *
     * @param first wait after the first empty poll
     * @param max   the longest wait; the quiet delay is raised to it if it was shorter
     * @return the new settings
     * @throws IllegalArgumentException if {@code first} is not positive or {@code max < first}
     */
    public TcloPolling withIdleDelays(Duration first, Duration max) {
        Duration quiet = quietDelay.compareTo(max) < 0 ? max : quietDelay;
        return new TcloPolling(first, max, quietAfter, quiet, firstRetryDelay, maxRetryDelay, maxFailures);
    }

    /**
     * These settings with another quiet phase.
     *
     * @param after how long without a command before polling slows down
     * @param delay the wait between polls then; {@link #maxIdleDelay()} means never slower
     * @return the new settings
     * @throws IllegalArgumentException if {@code after} is negative or {@code delay < maxIdleDelay}
     */
    public TcloPolling withQuietPolling(Duration after, Duration delay) {
        return new TcloPolling(firstIdleDelay, maxIdleDelay, after, delay, firstRetryDelay, maxRetryDelay,
                maxFailures);
    }

    /**
     * These settings with other reopen delays.
     *
     * @param first wait before the first reopen
     * @param max   the longest wait
     * @return the new settings
     * @throws IllegalArgumentException if {@code first} is not positive or {@code max < first}
     */
    public TcloPolling withRetryDelays(Duration first, Duration max) {
        return new TcloPolling(firstIdleDelay, maxIdleDelay, quietAfter, quietDelay, first, max, maxFailures);
    }

    /**
     * These settings with another failure bound.
     *
     * @param failures consecutive failures before polling stops, at least 1
     * @return the new settings
     * @throws IllegalArgumentException if {@code failures < 1}
     */
    public TcloPolling withMaxFailures(int failures) {
        return new TcloPolling(firstIdleDelay, maxIdleDelay, quietAfter, quietDelay, firstRetryDelay, maxRetryDelay,
                failures);
    }

    /**
     * The wait after an empty poll while the host is active, given the wait
     * after the previous one ({@link Duration#ZERO} after a command). Pure.
     *
     * @param previous the previous wait
     * @return the next wait
     */
    public Duration nextIdleDelay(Duration previous) {
        if (previous.isZero()) {
            return firstIdleDelay;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(maxIdleDelay) > 0 ? maxIdleDelay : doubled;
    }

    /**
     * The wait after an empty poll. Pure.
     *
     * @param previous      the wait after the previous empty poll ({@link Duration#ZERO} after a command)
     * @param sinceActivity time since the last command other than {@code ping} (or since the channel opened)
     * @return {@link #quietDelay()} once the host has been quiet for {@link #quietAfter()}, else
     *         {@link #nextIdleDelay(Duration)}
     */
    public Duration idleDelay(Duration previous, Duration sinceActivity) {
        return sinceActivity.compareTo(quietAfter) >= 0 && quietDelay.compareTo(maxIdleDelay) > 0 ? quietDelay
                : nextIdleDelay(previous);
    }

    /**
     * The wait before reopening after {@code consecutiveFailures} failures in a row. Pure.
     *
     * @param consecutiveFailures 1 or more
     * @return the wait
     */
    public Duration retryDelay(int consecutiveFailures) {
        Duration delay = firstRetryDelay;
        for (int i = 1; i < consecutiveFailures && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
