package dev.vmwguest.tclo;

import java.util.concurrent.locks.LockSupport;

/**
 * Time and waiting as the TCLO loop sees them; an interface so that tests
 * can count waits and run on virtual time instead of sleeping.
 */
interface LoopClock {

    /** The real clock: {@link System#nanoTime()} and {@link LockSupport#parkNanos(Object, long)}. */
    LoopClock SYSTEM = new LoopClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void park(Object blocker, long nanos) {
            LockSupport.parkNanos(blocker, nanos);
        }
    };

    /** Monotonic nanoseconds. */
    long nanoTime();

    /**
     * Waits up to {@code nanos}; may return earlier (an unpark, a spurious
     * wake-up, or, like {@link LockSupport#parkNanos}, at once while the
     * thread's interrupt flag is set).
     */
    void park(Object blocker, long nanos);
}
