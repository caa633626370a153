package dev.vmwguest.vsock;

import dev.vmwguest.rpc.RpcException;

/**
 * An open vsock connection failed: the host closed it (after a fast close, a
 * restart, perhaps a vMotion), a read or write failed, or no reply came within
 * the reply timeout. The connection is closed; a new one may well work, and
 * the clients open one (resending only what the host cannot have acted on).
 */
public final class VsockConnectionException extends RpcException {

    private static final long serialVersionUID = 1L;

    VsockConnectionException(String message) {
        super(message);
    }

    VsockConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A new connection may work. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
