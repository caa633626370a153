package dev.vmwguest.tclo;

import dev.vmwguest.rpc.RpcException;

/**
 * Root of the TCLO errors: a malformed host command, an app-name conflict, or
 * a channel that kept failing until {@link TcloEvents} gave up. Channel
 * failures themselves arrive as the rpc layer's exceptions, as causes.
 */
public class TcloException extends RpcException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what went wrong, in words for the user
     */
    public TcloException(String message) {
        super(message);
    }

    /**
     * An exception with the given message and cause.
     *
     * @param message what went wrong, in words for the user
     * @param cause the failure that led to this one
     */
    public TcloException(String message, Throwable cause) {
        super(message, cause);
    }
}
