package dev.vmwguest.tclo;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the application's callbacks (handlers, observers, listeners, the
 * {@link ClockAdjuster}) so that none of them can take the TCLO loop down.
 *
 * <p>Which failures the loop survives: everything except a
 * {@link VirtualMachineError} other than {@link StackOverflowError} and
 * {@link OutOfMemoryError}. A stack overflow has unwound by the time it is
 * caught, so the loop's own stack is whole again. An out-of-memory error
 * thrown into a callback has usually come from that callback's own
 * allocation, which is garbage once the callback has unwound; stopping the
 * loop for it would make the host declare the tools dead while the
 * application may well recover. {@link InternalError} and {@link UnknownError}
 * mean the JVM itself is broken: the loop stops with {@link TcloState#FAILED}.
 *
 * <p>Each failure is logged with its stack trace once per streak: a callback
 * that fails on every command is logged when it starts failing and when it
 * works again, never once per command.
 */
final class Callbacks {

    /** A callback that may throw anything. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    private final System.Logger logger;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    Callbacks(System.Logger logger) {
        this.logger = logger;
    }

    /** Whether the loop may go on after {@code failure}. */
    static boolean survivable(Throwable failure) {
        return !(failure instanceof VirtualMachineError) || failure instanceof StackOverflowError
                || failure instanceof OutOfMemoryError;
    }

    /**
     * Runs {@code call}; a survivable failure is logged (once per streak of
     * {@code what}) and rethrown wrapped in a {@link Failure}, a fatal one
     * is rethrown as it is.
     */
    <T> T call(String what, Call<T> call) throws Failure {
        try {
            T result = call.call();
            succeeded(what);
            return result;
        } catch (Throwable e) {
            failed(what, e);
            throw new Failure(e);
        }
    }

    /** Runs {@code call}; true when it returned normally, false after a (logged) survivable failure. */
    boolean run(String what, Call<?> call) {
        try {
            call(what, call);
            return true;
        } catch (Failure logged) {
            return false;
        }
    }

    /** Records that {@code what} worked, ending its failure streak. */
    void succeeded(String what) {
        if (failing.remove(what)) {
            logger.log(Level.INFO, what + " works again");
        }
    }

    /**
     * Records a failure of {@code what}: logged with its stack trace once per
     * streak. A fatal one is rethrown (after logging).
     */
    void failed(String what, Throwable failure) {
        if (failing.add(what)) {
            logger.log(Level.WARNING, what + " failed (not logged again until it works): " + failure, failure);
        }
        if (!survivable(failure)) {
            throw (VirtualMachineError) failure;
        }
    }

    /** A survivable callback failure, already logged; {@link #getCause()} is what the callback threw. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
