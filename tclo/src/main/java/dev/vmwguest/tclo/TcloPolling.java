package dev.vmwguest.tclo;

import java.time.Duration;

/**
 * How often {@link TcloEvents} polls and how it backs off after failures.
 *
 * <p>The defaults are what VMware Tools does (shared/protocol/tclo.md section
 * 3): after a command, poll again at once; after each empty poll wait 10, 20,
 * 40, 80, then 100 ms, steady. An idle poll costs 2 backdoor calls, so about
 * 20 calls a second at rest. After a channel failure the channel is reopened
 * on the next tick (10 ms), and after each further consecutive failure the wait
 * doubles up to 1 s (vmtoolsd's restart delay); after {@code maxFailures}
 * consecutive failures without a working channel, polling stops with an
 * error.
 *
 * <pre>{@code
 * TcloPolling gentle = TcloPolling.defaults().withIdleDelays(Duration.ofMillis(50), Duration.ofSeconds(1));
 * }</pre>
 *
 * @param firstIdleDelay  wait after the first empty poll; doubled after each further one
 * @param maxIdleDelay    the longest wait between polls
 * @param firstRetryDelay wait before reopening after a channel failure
 * @param maxRetryDelay   the longest wait before reopening
 * @param maxFailures     consecutive failures (open or exchange) without a working channel before giving up;
 *                        vmtoolsd's bound is 60
 */
public record TcloPolling(Duration firstIdleDelay, Duration maxIdleDelay, Duration firstRetryDelay,
        Duration maxRetryDelay, int maxFailures) {

    /**
     * Validates the delays.
     *
     * @param firstIdleDelay the wait after the first empty poll
     * @param maxIdleDelay the longest wait between empty polls
     * @param firstRetryDelay the wait before the first reopen after a failure
     * @param maxRetryDelay the longest wait between reopens
     * @param maxFailures how many failures in a row end the loop
     */
    public TcloPolling {
        if (firstIdleDelay.isNegative() || firstIdleDelay.isZero() || maxIdleDelay.compareTo(firstIdleDelay) < 0) {
            throw new IllegalArgumentException("need 0 < firstIdleDelay <= maxIdleDelay: " + firstIdleDelay + ", "
                    + maxIdleDelay);
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
     * VMware Tools' timing: 10 ms doubling to 100 ms idle; reopen after 10 ms doubling to 1 s; 60 failures.
     *
     * @return VMware Tools' timing
     */
    public static TcloPolling defaults() {
        return new TcloPolling(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(10),
                Duration.ofSeconds(1), 60);
    }

    /**
     * These settings with other idle delays.
     *
     * @param first the wait after the first empty poll
     * @param max the longest wait between empty polls
     * @return a copy with those delays
     */
    public TcloPolling withIdleDelays(Duration first, Duration max) {
        return new TcloPolling(first, max, firstRetryDelay, maxRetryDelay, maxFailures);
    }

    /**
     * These settings with other reopen delays.
     *
     * @param first the wait before the first reopen
     * @param max the longest wait between reopens
     * @return a copy with those delays
     */
    public TcloPolling withRetryDelays(Duration first, Duration max) {
        return new TcloPolling(firstIdleDelay, maxIdleDelay, first, max, maxFailures);
    }

    /**
     * These settings with another failure bound.
     *
     * @param failures how many failures in a row end the loop
     * @return a copy with that bound
     */
    public TcloPolling withMaxFailures(int failures) {
        return new TcloPolling(firstIdleDelay, maxIdleDelay, firstRetryDelay, maxRetryDelay, failures);
    }

    /**
     * The wait after an empty poll, given the wait after the previous one
     * ({@link Duration#ZERO} after a command). Pure.
     *
     * @param previous the wait after the previous poll
     * @return the wait after an empty poll, given the wait after the previous one ({@link Duration#ZERO} after a command)
     */
    public Duration nextIdleDelay(Duration previous) {
        if (previous.isZero()) {
            return firstIdleDelay;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(maxIdleDelay) > 0 ? maxIdleDelay : doubled;
    }

    /**
     * The wait before reopening after {@code consecutiveFailures} (1 or more) failures in a row. Pure.
     *
     * @param consecutiveFailures the failures in a row so far
     * @return the wait before reopening after {@code consecutiveFailures} (1 or more) failures in a row
     */
    public Duration retryDelay(int consecutiveFailures) {
        Duration delay = firstRetryDelay;
        for (int i = 1; i < consecutiveFailures && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
