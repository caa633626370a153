package dev.vmwguest.rpc;

/**
 * A message exceeds a size limit: ours to send
 * ({@link RpcChannelOptions#maxSendSize()}, the host's 64 KiB by default,
 * checked before any backdoor call), or one the host announced
 * ({@link RpcChannelOptions#maxReceiveSize()}, checked before allocating).
 */
public final class RpcMessageTooLargeException extends RpcException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    /** A limit broken by {@code what}, with advice on what to do instead. */
    public RpcMessageTooLargeException(String what, long size, long limit, String advice) {
        super(what + " is " + size + " bytes, over the limit of " + limit + " bytes; " + advice);
        this.size = size;
        this.limit = limit;
    }

    /** A message of {@code size} bytes within {@code limit} that this JVM could not allocate. */
    RpcMessageTooLargeException(String message, long size, long limit, Throwable cause) {
        super(message, cause);
        this.size = size;
        this.limit = limit;
    }

    /** The size of the message in bytes (announced by the host for replies). */
    public long size() {
        return size;
    }

    /** The limit it broke. */
    public long limit() {
        return limit;
    }
}
