package dev.vmwguest.rpc;

/**
 * A message exceeds a size limit: ours to send
 * ({@link RpcChannelOptions#maxSendSize()}, the host's 64 KiB by default,
 * checked before any backdoor call), or one the host announced
 * ({@link RpcChannelOptions#maxReceiveSize()}, checked before allocating).
 */
public final class RpcMessageTooLargeException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The size of the message in bytes; serialized with the exception. */
    private final long size;
    /** The limit it broke, in bytes; serialized with the exception. */
    private final long limit;

    /**
     * A limit broken by {@code what}, with advice on what to do instead.
     *
     * @param what   the message that is too large, e.g. {@code "request"}; starts the exception's message
     * @param size   its size in bytes
     * @param limit  the limit it broke, in bytes
     * @param advice what to do instead; ends the exception's message
     */
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

    /**
     * The size of the message.
     *
     * @return its size in bytes (announced by the host for replies)
     */
    public long size() {
        return size;
    }

    /**
     * The limit it broke.
     *
     * @return the limit in bytes
     */
    public long limit() {
        return limit;
    }
}
