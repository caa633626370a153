package dev.vmwguest.rpc;

/**
 * Limits and policies of a channel.
 *
 * @param maxSendSize       largest message we send, in bytes; default 65,536, the host's
 *                          {@code GUESTMSG_MAX_IN_SIZE} (guestrpc-channel.md section 5); at most
 *                          {@link #MAX_MESSAGE_SIZE}
 * @param maxReceiveSize    largest message we accept from the host, in bytes; default 1 MiB: the
 *                          protocol has no cap, but no RPCI reply or TCLO command comes near it (all
 *                          guest-set data of a VM is capped at 1 MB by {@code tools.setInfo.sizeLimit}).
 *                          Checked before allocating, so a host that announces 4 GiB costs nothing; at
 *                          most {@link #MAX_MESSAGE_SIZE}
 * @param checkpointRetries how often one message is restarted after a checkpoint; default 3, Linux
 *                          vmwgfx's bound (open-vm-tools retries without bound and can hang)
 * @param highBandwidth     when to use the high-bandwidth port
 */
public record RpcChannelOptions(int maxSendSize, int maxReceiveSize, int checkpointRetries,
        HighBandwidthPolicy highBandwidth) {

    /** Default largest message to send: the host's limit. */
    public static final int DEFAULT_MAX_SEND_SIZE = 64 * 1024;
    /** Default largest message to accept. */
    public static final int DEFAULT_MAX_RECEIVE_SIZE = 1024 * 1024;
    /** Default checkpoint retry bound. */
    public static final int DEFAULT_CHECKPOINT_RETRIES = 3;
    /**
     * The largest size limit a channel can honour, 1 GiB. The wire carries 32-bit
     * lengths, but a message is held twice (a reused direct buffer for the
     * transfer, the array handed to the caller), Java arrays stop short of
     * 2 GiB, and no RPCI reply or TCLO command comes within a thousandth of it.
     */
    public static final int MAX_MESSAGE_SIZE = 1 << 30;

    /**
     * Validates the limits.
     *
     * @param maxSendSize       largest message we send, in bytes, 0 to {@link #MAX_MESSAGE_SIZE}
     * @param maxReceiveSize    largest message we accept from the host, in bytes, 0 to {@link #MAX_MESSAGE_SIZE}
     * @param checkpointRetries how often one message is restarted after a checkpoint; not negative
     * @param highBandwidth     when to use the high-bandwidth port
     * @throws IllegalArgumentException if a limit is negative or a size limit exceeds {@link #MAX_MESSAGE_SIZE}
     * @throws NullPointerException if {@code highBandwidth} is null
     */
    public RpcChannelOptions {
        requireSize("maxSendSize", maxSendSize);
        requireSize("maxReceiveSize", maxReceiveSize);
        if (checkpointRetries < 0) {
            throw new IllegalArgumentException("checkpointRetries must not be negative, got " + checkpointRetries);
        }
        java.util.Objects.requireNonNull(highBandwidth, "highBandwidth");
    }

    private static void requireSize(String name, int bytes) {
        if (bytes < 0 || bytes > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException(name + " must be 0.." + MAX_MESSAGE_SIZE + " bytes (1 GiB, the largest "
                    + "message a channel can hold), got " + bytes);
        }
    }

    /**
     * The defaults, with the high-bandwidth policy read from the environment ({@link HighBandwidthPolicy#fromEnvironment()}).
     *
     * @return the default options
     */
    public static RpcChannelOptions defaults() {
        return new RpcChannelOptions(DEFAULT_MAX_SEND_SIZE, DEFAULT_MAX_RECEIVE_SIZE, DEFAULT_CHECKPOINT_RETRIES,
                HighBandwidthPolicy.fromEnvironment());
    }

    /**
     * These options with another send limit.
     *
     * @param bytes the largest message to send, 0 to {@link #MAX_MESSAGE_SIZE}
     * @return new options
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public RpcChannelOptions withMaxSendSize(int bytes) {
        return new RpcChannelOptions(bytes, maxReceiveSize, checkpointRetries, highBandwidth);
    }

    /**
     * These options with another receive limit.
     *
     * @param bytes the largest message to accept, 0 to {@link #MAX_MESSAGE_SIZE}
     * @return new options
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public RpcChannelOptions withMaxReceiveSize(int bytes) {
        return new RpcChannelOptions(maxSendSize, bytes, checkpointRetries, highBandwidth);
    }

    /**
     * These options with another checkpoint retry bound.
     *
     * @param retries how often one message is restarted after a checkpoint; not negative
     * @return new options
     * @throws IllegalArgumentException if {@code retries} is negative
     */
    public RpcChannelOptions withCheckpointRetries(int retries) {
        return new RpcChannelOptions(maxSendSize, maxReceiveSize, retries, highBandwidth);
    }

    /**
     * These options with another high-bandwidth policy.
     *
     * @param policy when to use the high-bandwidth port
     * @return new options
     * @throws NullPointerException if {@code policy} is null
     */
    public RpcChannelOptions withHighBandwidth(HighBandwidthPolicy policy) {
        return new RpcChannelOptions(maxSendSize, maxReceiveSize, checkpointRetries, policy);
    }
}
