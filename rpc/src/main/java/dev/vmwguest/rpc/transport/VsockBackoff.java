package dev.vmwguest.rpc.transport;

import java.time.Duration;

/**
 * How long to stay on the fallback after vsock failed: open-vm-tools'
 * numbers (transports.md section 1.6), so that both behave alike toward the
 * host. The delay starts at 2 s and is doubled on every fallback before it is
 * used (so the first wait is 4 s), up to 300 s; a vsock success resets it.
 */
final class VsockBackoff {

    static final Duration MIN = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofSeconds(300);

    private long delayNanos = MIN.toNanos();
    private long retryAtNanos;
    /** Volatile so that {@link #inForce()} can be read on every command without the lock or the clock. */
    private volatile boolean fellBack;

    /** vsock failed and a later transport took over at {@code now}. */
    synchronized void fellBack(long now) {
        delayNanos = Math.min(delayNanos * 2, MAX.toNanos());
        retryAtNanos = now + delayNanos;
        fellBack = true;
    }

    /** vsock worked. */
    synchronized void succeeded() {
        delayNanos = MIN.toNanos();
        fellBack = false;
    }

    /** How long vsock is still skipped; zero when it may be tried. */
    synchronized Duration remaining(long now) {
        return fellBack && now - retryAtNanos < 0 ? Duration.ofNanos(retryAtNanos - now) : Duration.ZERO;
    }

    /** Whether a fallback is in force at all; false on every command of a client that never fell back. */
    boolean inForce() {
        return fellBack;
    }

    /** Whether a fallback is in force and its delay has run out: time to try vsock again. */
    synchronized boolean retryDue(long now) {
        return fellBack && now - retryAtNanos >= 0;
    }

    /** The delay the next fallback will wait before being doubled. */
    synchronized Duration currentDelay() {
        return Duration.ofNanos(delayNanos);
    }
}
