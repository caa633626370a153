package dev.vmwguest.tclo;

import dev.vmwguest.rpc.RpcException;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of {@link TcloState}, reported to the listener given to
 * {@link TcloEventsBuilder#listener}. Reported once per change, never once per
 * poll: a channel that keeps failing while already {@link TcloState#RECOVERING}
 * is not reported again.
 *
 * @param previous the state before
 * @param current  the state now
 * @param cause    why, for {@link TcloState#RECOVERING} (the channel failure), {@link TcloState#CONFLICT}
 *                 ({@link TcloAppConflictException}) and {@link TcloState#FAILED} ({@link TcloException})
 */
public record TcloStateChange(TcloState previous, TcloState current, Optional<RpcException> cause) {

    /**
     * Validates the components.
     *
     * @param previous the state before
     * @param current the state now
     * @param cause the failure that led to this one
     */
    public TcloStateChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(cause, "cause");
    }
}
