package dev.vmwguest.tclo;

/**
 * A registration with {@link TcloEvents}; closing it unsubscribes.
 * Idempotent, never throws, and may be called from any thread, including a
 * handler.
 *
 * <pre>{@code
 * try (TcloSubscription pings = events.subscribe(TcloCommand.Ping.class, ping -> TcloReply.ok())) {
 *     // pings answered by this handler until the block ends, by the built-in default afterwards
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TcloSubscription extends AutoCloseable {

    /** Unsubscribes. */
    @Override
    void close();
}
