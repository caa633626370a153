package dev.vmwguest.tclo;

import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.RpcOpenException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
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
 */
final class TcloLoop implements Runnable {

    private static final byte[] EMPTY = new byte[0];

    private final TcloEvents events;
    private final TcloTransport.Opener opener;
    private final TcloDispatcher dispatcher;
    private final TimeSync timeSync;
    private final ToolsRpc tools;
    private final TcloPolling polling;
    private final int conflictResets;

    private @Nullable TcloTransport transport;
    private byte @Nullable [] owed;
    private boolean owedIsResetReply;
    /** A reset arrived and no other command since: if the next event is a reset or a failure, the attach was rejected. */
    private boolean resetPending;
    private int rejectedAttaches;
    private int failures;
    private boolean finished;
    private Duration idleDelay = Duration.ZERO;

    TcloLoop(TcloEvents events, TcloTransport.Opener opener, TcloDispatcher dispatcher, TimeSync timeSync,
            ToolsRpc tools, TcloPolling polling, int conflictResets) {
        this.events = events;
        this.opener = opener;
        this.dispatcher = dispatcher;
        this.timeSync = timeSync;
        this.tools = tools;
        this.polling = polling;
        this.conflictResets = conflictResets;
    }

    @Override
    public void run() {
        try {
            while (!finished && !events.stopping()) {
                if (transport == null && !open()) {
                    continue;
                }
                iterate();
            }
        } finally {
            stop();
        }
    }

    private boolean open() {
        try {
            transport = opener.open();
        } catch (RuntimeException refused) {
            failed(refused);
            return false;
        }
        idleDelay = Duration.ZERO;
        events.transition(TcloState.CONNECTING, Optional.empty());
        return true;
    }

    private void iterate() {
        TcloTransport channel = transport;
        if (channel == null) {
            return;
        }
        byte[] reply = owed != null ? owed : EMPTY;
        boolean resetReply = owedIsResetReply;
        owed = null;                    // sent at most once, on this channel only
        owedIsResetReply = false;
        Optional<byte[]> received;
        try {
            if (!channel.pushes() || reply != EMPTY) {
                channel.send(reply);    // a pushing host is sent replies only, never empty polls
            }
            if (resetReply) {
                events.transition(TcloState.ATTACHED, Optional.empty());
            }
            received = channel.receive();
        } catch (RuntimeException failure) {
            failed(failure);
            return;
        }
        if (events.state() == TcloState.ATTACHED) {
            failures = 0;
        }
        long now = System.nanoTime();
        timeSync.tick(now);
        if (received.isEmpty()) {
            if (!channel.pushes()) {    // a pushing transport has already waited a heartbeat interval
                idleDelay = polling.nextIdleDelay(idleDelay);
                pause(idleDelay);
            }
            return;
        }
        idleDelay = Duration.ZERO;      // after a command, poll again at once
        TcloDispatcher.Dispatched dispatched = dispatcher.dispatch(received.get(), now);
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

    private void failed(RuntimeException failure) {
        owed = null;                    // dropped with the channel (tclo.md section 6.1)
        owedIsResetReply = false;
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
        TcloTransport channel = transport;
        transport = null;
        if (channel != null) {
            channel.close();
        }
    }

    private void pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        long remaining;
        while (!events.stopping() && (remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, remaining);
        }
    }

    /** Orderly stop: a reply still owed goes out before the CLOSE (tclo.md section 6.5). */
    private void stop() {
        TcloTransport channel = transport;
        byte[] reply = owed;
        if (channel != null && reply != null) {
            try {
                channel.send(reply);
            } catch (RuntimeException ignored) {
                // the channel is closing anyway
            }
        }
        owed = null;
        closeTransport();
        tools.close();
    }
}
