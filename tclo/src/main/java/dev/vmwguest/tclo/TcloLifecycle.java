package dev.vmwguest.tclo;

import dev.vmwguest.rpc.RpcException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The life of one {@link TcloEvents}: its state, each change reported once to
 * the listener and the log, starting the loop's thread and closing it within
 * the close timeout.
 */
final class TcloLifecycle {

    private final String appName;
    private final Consumer<TcloStateChange> listener;
    private final System.Logger logger;
    private final Callbacks callbacks;
    private final ThreadFactory threadFactory;
    private final Duration closeTimeout;
    private final RpciSender rpci;
    private volatile TcloState state = TcloState.NEW;
    private volatile boolean stopping;
    private @Nullable Thread thread;
    private boolean closeCalled;

    TcloLifecycle(String appName, Consumer<TcloStateChange> listener, System.Logger logger, Callbacks callbacks,
            ThreadFactory threadFactory, Duration closeTimeout, RpciSender rpci) {
        this.appName = appName;
        this.listener = listener;
        this.logger = logger;
        this.callbacks = callbacks;
        this.threadFactory = threadFactory;
        this.closeTimeout = closeTimeout;
        this.rpci = rpci;
    }

    String appName() {
        return appName;
    }

    TcloState state() {
        return state;
    }

    boolean stopping() {
        return stopping;
    }

    synchronized void start(Runnable loop) {
        if (thread != null || closeCalled) {
            throw new IllegalStateException(closeCalled ? "TcloEvents is closed" : "TcloEvents is already started");
        }
        Thread started = threadFactory.newThread(loop);
        thread = started;
        started.start();
    }

    /** See {@link TcloEvents#close()}. The loop closes the RPCI sender as it ends; unstarted, this does. */
    void close() {
        Thread running;
        synchronized (this) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            stopping = true;
            running = thread;
        }
        if (running == null) {
            rpci.close();
        } else if (running != Thread.currentThread()) {
            LockSupport.unpark(running);
            try {
                running.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(closeTimeout.toNanos())));
                if (running.isAlive()) {
                    logger.log(Level.WARNING, "TCLO thread still busy after " + closeTimeout
                            + " (a handler has not returned); the channel closes when it does");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed();
    }

    /**
     * The loop's thread is about to end: its state must say so. Closed if
     * {@link #close()} asked; FAILED with the cause after a fatal error;
     * FAILED too if the loop ended any other way without a final state.
     */
    void loopEnded(@Nullable Throwable fatal) {
        if (fatal != null) {
            transition(TcloState.FAILED, Optional.of(new TcloException("TCLO loop stopped by a fatal error: "
                    + fatal, fatal)));
        } else if (stopping) {
            closed();
        } else if (!state.isFinal()) {
            transition(TcloState.FAILED, Optional.of(new TcloException("TCLO loop ended unexpectedly")));
        }
    }

    /** Records a state change from the loop; repeats and changes after a final state are not reported. */
    void transition(TcloState next, Optional<RpcException> cause) {
        TcloState previous;
        synchronized (this) {
            previous = state;
            if (previous == next || previous.isFinal()) {
                return;
            }
            state = next;
        }
        report(new TcloStateChange(previous, next, cause));
    }

    private void closed() {
        TcloState previous;
        synchronized (this) {
            previous = state;
            if (previous == TcloState.CLOSED) {
                return;
            }
            state = TcloState.CLOSED;
        }
        report(new TcloStateChange(previous, TcloState.CLOSED, Optional.empty()));
    }

    private void report(TcloStateChange change) {
        Level level = switch (change.current()) {
            case RECOVERING -> Level.WARNING;
            case CONFLICT, FAILED -> Level.ERROR;
            default -> Level.INFO;
        };
        String because = change.cause().map(c -> ": " + c.getMessage()).orElse("");
        logger.log(level, "TCLO '" + appName + "' " + change.previous() + " -> " + change.current() + because,
                change.current() == TcloState.FAILED ? change.cause().orElse(null) : null);
        callbacks.run("TCLO state listener", () -> {
            listener.accept(change);
            return null;
        });
    }
}
