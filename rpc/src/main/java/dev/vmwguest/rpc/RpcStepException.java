package dev.vmwguest.rpc;

/**
 * A channel step failed. Carries the step, the channel id and the raw status
 * bits, so callers and bug reports see exactly what the host said; the
 * subclasses say what kind of failure it was.
 */
public abstract sealed class RpcStepException extends RpcException
        permits RpcChannelClosedException, RpcCheckpointException, RpcStatusException {

    private static final long serialVersionUID = 1L;

    /** The step that failed; serialized with the exception. */
    private final MessageStep step;
    /** The host's id of the failed channel; serialized with the exception. */
    private final int channelId;
    /** The status bits the host returned; serialized with the exception. */
    private final int status;

    RpcStepException(MessageStep step, int channelId, int status, String advice) {
        super(step + " failed on channel " + channelId + ": host status " + MessageStatus.describe(status)
                + " (" + advice + ")");
        this.step = step;
        this.channelId = channelId;
        this.status = status;
    }

    /**
     * The step the host failed.
     *
     * @return the step the host failed
     */
    public MessageStep step() {
        return step;
    }

    /**
     * The id of the channel.
     *
     * @return the id of the channel
     */
    public int channelId() {
        return channelId;
    }

    /**
     * The 16 status bits the host returned.
     *
     * @return the 16 status bits the host returned
     */
    public int status() {
        return status;
    }
}
