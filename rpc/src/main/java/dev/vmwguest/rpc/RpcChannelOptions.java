package dev.vmwguest.rpc;

/**
 * Limits and policies of a channel.
 *
 * @param maxSendSize       largest message we send, in bytes; default 65,536, the host's
 *                          {@code GUESTMSG_MAX_IN_SIZE} (guestrpc-channel.md section 5)
 * @param maxReceiveSize    largest message we accept from the host, in bytes; default 1 MiB: the
 *                          protocol has no cap, but no RPCI reply or TCLO command comes near it (all
 *                          guest-set data of a VM is capped at 1 MB by {@code tools.setInfo.sizeLimit}).
 *                          Checked before allocating, so a host that announces 4 GiB costs nothing
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
     * Validates the limits.
     *
     * @param maxSendSize the largest message we send, in bytes
     * @param maxReceiveSize the largest reply we accept, in bytes
     * @param checkpointRetries how often a message interrupted by a checkpoint is restarted
     * @param highBandwidth when to use high-bandwidth transfers
     */
    public RpcChannelOptions {
        if (maxSendSize < 0 || maxReceiveSize < 0 || checkpointRetries < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxSendSize + ", "
                    + maxReceiveSize + ", " + checkpointRetries);
        }
        java.util.Objects.requireNonNull(highBandwidth, "highBandwidth");
    }

    /**
     * The defaults, with the high-bandwidth policy read from the environment ({@link HighBandwidthPolicy#fromEnvironment()}).
     *
     * @return the defaults, with the high-bandwidth policy read from the environment ({@link HighBandwidthPolicy#fromEnvironment()})
     */
    public static RpcChannelOptions defaults() {
        return new RpcChannelOptions(DEFAULT_MAX_SEND_SIZE, DEFAULT_MAX_RECEIVE_SIZE, DEFAULT_CHECKPOINT_RETRIES,
                HighBandwidthPolicy.fromEnvironment());
    }

    /**
     * These options with another send limit.
     *
     * @param bytes the largest message to send, in bytes
     * @return a copy of these options with that limit
     */
    public RpcChannelOptions withMaxSendSize(int bytes) {
        return new RpcChannelOptions(bytes, maxReceiveSize, checkpointRetries, highBandwidth);
    }

    /**
     * These options with another receive limit.
     *
     * @param bytes the largest reply to accept, in bytes
     * @return a copy of these options with that limit
     */
    public RpcChannelOptions withMaxReceiveSize(int bytes) {
        return new RpcChannelOptions(maxSendSize, bytes, checkpointRetries, highBandwidth);
    }

    /**
     * These options with another checkpoint retry bound.
     *
     * @param retries how often a message interrupted by a checkpoint is restarted
     * @return a copy of these options with that bound
     */
    public RpcChannelOptions withCheckpointRetries(int retries) {
        return new RpcChannelOptions(maxSendSize, maxReceiveSize, retries, highBandwidth);
    }

    /**
     * These options with another high-bandwidth policy.
     *
     * @param policy when to use high-bandwidth transfers
     * @return a copy of these options with that policy
     */
    public RpcChannelOptions withHighBandwidth(HighBandwidthPolicy policy) {
        return new RpcChannelOptions(maxSendSize, maxReceiveSize, checkpointRetries, policy);
    }
}
