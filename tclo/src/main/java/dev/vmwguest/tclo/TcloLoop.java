package dev.vmwguest.tclo;

import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.RpcOpenException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The TCLO loop (shared/protocol/tclo.md sections 1, 3 and 6): each iteration
 * sends the owed reply (or, on a polled transport, an empty message) and
 * receives at most one command. On a pushing transport (vsock, transports.md
 * 1.5) nothing is sent while no reply is owed and the receive itself waits.
 * On any channel failure the owed reply is dropped, never replayed, the dead
 * channel is closed and not touched again, and a new one is opened
 * after a back-off; the new channel starts with an empty send and waits for
 * the host's {@code reset}.
 *
 * <p>Nothing the application's callbacks throw ends the loop, except a fatal
 * {@link VirtualMachineError} ({@link Callbacks#survivable}); the thread
 * never ends without {@link TcloLifecycle#state()} saying so.
 */
final class TcloLoop implements Runnable {

    private static final byte[] EMPTY = new byte[0];

    private final TcloLifecycle events;
    private final Supplier<RpcConnection> opener;
    private final TcloDispatcher dispatcher;
    private final TimeSync timeSync;
    private final RpciSender tools;
    private final TcloPolling polling;
    private final int conflictResets;
    private final LoopClock clock;

    private @Nullable RpcConnection transport;
    private byte @Nullable [] owed;
    private @Nullable Runnable afterOwed;
    private boolean owedIsResetReply;
    /** A reset arrived and the attach it answers is not yet confirmed: a reset or failure now is a rejection. */
    private boolean resetPending;
    private int rejectedAttaches;
    private int failures;
    private boolean finished;
    private Duration idleDelay = Duration.ZERO;
    private long lastActivityNanos;

    TcloLoop(TcloLifecycle events, Supplier<RpcConnection> opener, TcloDispatcher dispatcher, TimeSync timeSync,
            RpciSender tools, TcloPolling polling, int conflictResets, LoopClock clock) {
        this.events = events;
        this.opener = opener;
        this.dispatcher = dispatcher;
        this.timeSync = timeSync;
        this.tools = tools;
        this.polling = polling;
        this.conflictResets = conflictResets;
        this.clock = clock;
    }

    @Override
    public void run() {
        Throwable fatal = null;
        try {
            while (!finished && !events.stopping()) {
                if (transport == null && !open()) {
                    continue;
                }
                iterate();
            }
        } catch (Throwable e) {   // only what Callbacks.survivable rejects gets here
            fatal = e;
        } finally {
            try {
                stop();
            } catch (Throwable e) {
                fatal = fatal != null ? fatal : e;
            }
            events.loopEnded(fatal);
        }
    }

    private boolean open() {
        try {
            transport = opener.get();
        } catch (RuntimeException | Error refused) {
            if (!Callbacks.survivable(refused)) {
                throw refused;
            }
            failed(refused);
            return false;
        }
        idleDelay = Duration.ZERO;
        lastActivityNanos = clock.nanoTime();
        events.transition(TcloState.CONNECTING, Optional.empty());
        return true;
    }

    private void iterate() {
        RpcConnection channel = transport;
        if (channel == null) {
            return;
        }
        byte[] reply = owed != null ? owed : EMPTY;
        boolean resetReply = owedIsResetReply;
        Runnable after = afterOwed;
        owed = null;                    // sent at most once, on this channel only
        owedIsResetReply = false;
        afterOwed = null;
        Optional<byte[]> received;
        try {
            try {
                if (!channel.hostPushes() || reply != EMPTY) {
                    channel.send(reply);    // a pushing host is sent replies only, never empty polls
                }
            } finally {
                runAfterReply(after);   // the host has the status already, whether or not the reply got through
            }
            if (resetReply) {
                events.transition(TcloState.ATTACHED, Optional.empty());
            }
            received = channel.receive();
        } catch (RuntimeException | Error failure) {
            if (!Callbacks.survivable(failure)) {
                throw failure;
            }
            failed(failure);
            return;
        }
        if (events.state() == TcloState.ATTACHED) {
            failures = 0;
        }
        if (resetReply && received.isEmpty()) {
            resetPending = false;       // the host took the ATR quietly: the attach worked (not a conflict)
            rejectedAttaches = 0;
        }
        long now = clock.nanoTime();
        timeSync.tick(now);
        if (received.isEmpty()) {
            if (!channel.hostPushes()) {    // a pushing transport has already waited a heartbeat interval
                idleDelay = polling.idleDelay(idleDelay, Duration.ofNanos(now - lastActivityNanos));
                pause(idleDelay);
            }
            return;
        }
        idleDelay = Duration.ZERO;      // after a command, poll again at once
        TcloDispatcher.Dispatched dispatched = dispatcher.dispatch(received.get(), now);
        Thread.interrupted();           // a handler's leftover interrupt must not make every later wait return at once
        if (!dispatched.ping()) {
            lastActivityNanos = now;    // host heartbeat pings do not keep the loop at its fast interval
        }
        if (dispatched.reset()) {
            if (resetPending && rejected()) {
                return;
            }
            resetPending = true;
        } else {
            resetPending = false;
            rejectedAttaches = 0;
        }
        owed = dispatched.reply().toBytes();
        owedIsResetReply = dispatched.reset();
        afterOwed = dispatched.afterReply();
    }

    private void runAfterReply(@Nullable Runnable after) {
        if (after != null) {
            after.run();                // guarded by Callbacks; only a fatal error escapes
            Thread.interrupted();
        }
    }

    /** Counts a rejected attach; true (and polling stopped) when that makes a conflict. */
    private boolean rejected() {
        resetPending = false;
        rejectedAttaches++;
        if (rejectedAttaches < conflictResets) {
            return false;
        }
        owed = null;                    // stop fighting: no further ATR
        closeTransport();
        finished = true;
        events.transition(TcloState.CONFLICT,
                Optional.of(new TcloAppConflictException(events.appName(), rejectedAttaches)));
        return true;
    }

    private void failed(Throwable failure) {
        owed = null;                    // dropped with the channel (tclo.md section 6.1)
        owedIsResetReply = false;
        runAfterReply(afterOwed);
        afterOwed = null;
        closeTransport();
        if (resetPending && rejected()) {
            return;
        }
        RpcException cause = failure instanceof RpcException rpc ? rpc
                : new TcloException("TCLO channel failed unexpectedly: " + failure, failure);
        failures++;
        boolean hopeless = failure instanceof RpcOpenException open && open.isGuestRpcUnavailable();
        if (hopeless || failures >= polling.maxFailures()) {
            finished = true;
            events.transition(TcloState.FAILED, Optional.of(new TcloException(hopeless
                    ? "this host has no GuestRPC; TCLO is unavailable"
                    : "TCLO channel failed " + failures + " times in a row; stopped polling", cause)));
            return;
        }
        events.transition(TcloState.RECOVERING, Optional.of(cause));
        pause(polling.retryDelay(failures));
    }

    private void closeTransport() {
        RpcConnection channel = transport;
        transport = null;
        if (channel != null) {
            channel.close();
        }
    }

    private void pause(Duration delay) {
        long deadline = clock.nanoTime() + delay.toNanos();
        long remaining;
        while (!events.stopping() && (remaining = deadline - clock.nanoTime()) > 0) {
            Thread.interrupted();       // with the flag set every park returns at once: a busy spin
            clock.park(this, remaining);
        }
    }

    /** Orderly stop: a reply still owed goes out before the CLOSE (tclo.md section 6.5). */
    private void stop() {
        RpcConnection channel = transport;
        byte[] reply = owed;
        Runnable after = afterOwed;
        owed = null;
        afterOwed = null;
        try {
            if (channel != null && reply != null) {
                try {
                    channel.send(reply);
                } catch (RuntimeException ignored) {
                    // the channel is closing anyway
                }
            }
            runAfterReply(after);
        } finally {
            closeTransport();
            tools.close();
        }
    }
}
