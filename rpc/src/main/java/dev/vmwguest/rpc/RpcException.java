package dev.vmwguest.rpc;

import dev.vmwguest.backdoor.BackdoorException;

/**
 * Root of the GuestRPC channel errors. Every subclass says which step failed
 * and what the caller can do; after one is thrown by a channel operation, the
 * channel is dead (closed best-effort) and the owner opens a new one.
 */
public class RpcException extends BackdoorException {

    private static final long serialVersionUID = 1L;

    /** Set by {@link RpcConnection#call} when the failure came before the host had the whole request. */
    private boolean requestUndelivered;

    /**
     * An exception with the given message.
     *
     * @param message what went wrong, in words for the user
     */
    public RpcException(String message) {
        super(message);
    }

    /**
     * An exception with the given message and cause.
     *
     * @param message what went wrong, in words for the user
     * @param cause the failure that led to this one
     */
    public RpcException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the host may have received the whole request whose
     * {@link RpcConnection#call} failed. False only when the failure came
     * while the request was being sent: then the host never acts on it and
     * sending it again cannot repeat it. True for every other failure,
     * including those not thrown by {@code call}.
     *
     * @return whether the request may have been delivered
     */
    public boolean requestMayBeDelivered() {
        return !requestUndelivered;
    }

    /** Records that this failure came while sending the request of a {@link RpcConnection#call}. */
    final RpcException requestNotDelivered() {
        requestUndelivered = true;
        return this;
    }
}
