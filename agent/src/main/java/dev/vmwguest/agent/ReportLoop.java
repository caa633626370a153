package dev.vmwguest.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agent's report timer: one worker thread gathers the facts and hands them to the
 * {@link FactReporter}, every interval and at once after a {@code reset}. A fact source that throws
 * costs one cycle, never the timer: a scheduled task that throws is never run again.
 */
final class ReportLoop {

    private final FactSources sources;
    private final AgentSettings settings;
    private final FactReporter reporter;
    private final System.Logger logger;
    private final ScheduledExecutorService worker;
    private volatile boolean closed;

    ReportLoop(FactSources sources, AgentSettings settings, FactReporter reporter, System.Logger logger) {
        this.sources = sources;
        this.settings = settings;
        this.reporter = reporter;
        this.logger = logger;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmwguest-agent");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        long millis = settings.interval().toMillis();
        worker.scheduleWithFixedDelay(() -> report(false), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Gathers and sends; {@code fresh} forgets what the host has (after a reset). Runs on the worker. */
    void report(boolean fresh) {
        try {
            if (fresh) {
                reporter.forget();
            }
            reporter.report(GuestFacts.gather(sources, settings), settings.reportDisks());
        } catch (IOException | RuntimeException | LinkageError | AssertionError e) {
            if (!closed) {   // a report cut short by close() is not a failure
                logger.log(Level.WARNING, "guest facts not reported; retried in " + settings.interval(), e);
            }
        }
    }

    /** Queues a full report (after a {@code reset}); nothing once closed. */
    void reportSoon() {
        try {
            worker.execute(() -> report(true));
        } catch (RejectedExecutionException closing) {
            // closed meanwhile: nothing left to report to
        }
    }

    /** Stops the timer; waits for a report in flight, which must end before its channel closes. */
    void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
