package dev.vmwguest.rpc;

import dev.vmwguest.backdoor.BackdoorException;

/**
 * Root of the GuestRPC channel errors. Every subclass says which step failed
 * and what the caller can do; after one is thrown by a channel operation, the
 * channel is dead (closed best-effort) and the owner opens a new one.
 */
public class RpcException extends BackdoorException {

    private static final long serialVersionUID = 1L;

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
}
