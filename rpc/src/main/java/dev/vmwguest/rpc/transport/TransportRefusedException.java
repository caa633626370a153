package dev.vmwguest.rpc.transport;

import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.TransportKind;

/**
 * A {@link TransportProvider} could not open a connection on one transport.
 * {@link TransportSelector} records it as a {@link TransportRefusal} and moves
 * on to the next transport of the policy; it reaches callers only as the
 * cause of a {@link TransportUnavailableException}.
 */
public class TransportRefusedException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The transport refused; serialized with the exception. */
    private final TransportKind kind;
    /** Why, as a category; serialized with the exception. */
    private final TransportRefusal.Reason reason;

    /**
     * A refusal of {@code kind} for {@code reason}, explained by {@code message}.
     *
     * @param kind the transport refused
     * @param reason why, as a category
     * @param message what went wrong, in words for the user
     */
    public TransportRefusedException(TransportKind kind, TransportRefusal.Reason reason, String message) {
        super(message);
        this.kind = kind;
        this.reason = reason;
    }

    /**
     * As {@link #TransportRefusedException(TransportKind, TransportRefusal.Reason, String)}, with the underlying failure.
     *
     * @param kind the transport refused
     * @param reason why, as a category
     * @param message what went wrong, in words for the user
     * @param cause the failure that led to this one
     */
    public TransportRefusedException(TransportKind kind, TransportRefusal.Reason reason, String message,
            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.reason = reason;
    }

    /**
     * The transport refused.
     *
     * @return the transport refused
     */
    public TransportKind kind() {
        return kind;
    }

    /**
     * Why, for code.
     *
     * @return why, as a category
     */
    public TransportRefusal.Reason reason() {
        return reason;
    }

    /**
     * This refusal as a value.
     *
     * @return this refusal as a value
     */
    public TransportRefusal refusal() {
        return new TransportRefusal(kind, reason, String.valueOf(getMessage()));
    }

    /** A failed attempt may succeed later (a reset, a timeout); a missing capability or family will not. */
    @Override
    public boolean isRetryable() {
        return reason == TransportRefusal.Reason.FAILED;
    }
}
