package dev.vmwguest.tclo;

import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.rpci.RpciRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * VMware Tools' power-operation flow (open-vm-tools
 * services/plugins/powerOps/powerOps.c {@code PowerOpsStateChangeDone},
 * lines 179-228): decide, report {@code tools.os.statechange.status}, then
 * act. Runs on the TCLO thread; subscriptions may change from any thread.
 */
final class PowerOperations {

    /** The reply, the status the host was sent, and what to run once the reply is out. */
    record Outcome(TcloReply reply, boolean reported, @Nullable Runnable afterReply) {
    }

    private final Map<PowerState, PowerOperationHandler> handlers = new EnumMap<>(PowerState.class);
    private final Callbacks callbacks;
    private final RpciSender tools;
    private final RpciCalls rpci;
    private @Nullable PowerState lastFailed;

    /** Sends one RPCI, logging failures; see {@link TcloDispatcher}. */
    @FunctionalInterface
    interface RpciCalls {
        boolean send(String what, Runnable call);
    }

    PowerOperations(Callbacks callbacks, RpciSender tools, RpciCalls rpci) {
        this.callbacks = callbacks;
        this.tools = tools;
        this.rpci = rpci;
    }

    synchronized TcloSubscription subscribe(PowerState state, PowerOperationHandler handler) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(handler, "handler");
        if (handlers.putIfAbsent(state, handler) != null) {
            throw new IllegalStateException("a power-operation handler for " + state + " is already subscribed");
        }
        return () -> {
            synchronized (PowerOperations.this) {
                handlers.remove(state, handler);
            }
        };
    }

    synchronized @Nullable PowerOperationHandler handler(PowerState state) {
        return handlers.get(state);
    }

    /**
     * After the application's decision ({@code decided}: a handler's reply;
     * null when no application code answers, so the built-in reply is used).
     */
    Outcome complete(PowerState state, TcloReply reply, boolean applicationDecided,
            @Nullable PowerOperationHandler performer) {
        boolean success = reply.success();
        if (applicationDecided) {
            // powerOps.c:194-201: a repeat of the operation that failed last time is reported as success (and
            // carried out), so the user can force it; any success clears the memory. A built-in refusal (no
            // application handler for halt or reboot) is not an attempt: the library never halts by itself.
            if (success || lastFailed == state) {
                success = true;
                lastFailed = null;
            } else {
                lastFailed = state;
            }
        } else if (success) {
            lastFailed = null;
        }
        boolean reported = success;
        // Before the action and before the TCLO reply: the host acts on this RPCI (powerOps.c:203-211, tclo.md 5.2).
        rpci.send("tools.os.statechange.status", () -> tools.call(new RpciRequest.StateChangeStatus(reported, state)));
        Runnable after = null;
        if (success && performer != null) {
            after = () -> callbacks.run("power-operation handler for " + state + " (perform)", () -> {
                performer.perform(state);
                return null;
            });
        }
        return new Outcome(reply, reported, after);
    }

    /** Runs a subscribed handler's {@link PowerOperationHandler#prepare}: OK, or ERROR with the reason. */
    TcloReply prepare(PowerState state, PowerOperationHandler handler) {
        try {
            callbacks.call("power-operation handler for " + state + " (prepare)", () -> {
                handler.prepare(state);
                return null;
            });
            return TcloReply.ok();
        } catch (Callbacks.Failure failed) {
            return TcloReply.error(TcloDispatcher.reason(failed.getCause()));
        }
    }
}
