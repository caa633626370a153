package dev.vmwguest.rpc;

/**
 * Checkpoints (suspend, snapshot, migration) interrupted the same message more
 * often than the configured bound ({@link RpcChannelOptions#checkpointRetries()}).
 * The reference guest retries forever and can hang; we give up and say so.
 */
public final class RpcCheckpointException extends RpcStepException {

    private static final long serialVersionUID = 1L;

    /** How many times the message was tried; serialized with the exception. */
    private final int attempts;

    RpcCheckpointException(MessageStep step, int channelId, int status, int attempts) {
        super(step, channelId, status, "checkpoint on each of " + attempts + " attempts; the VM keeps being "
                + "checkpointed, try again once it settles");
        this.attempts = attempts;
    }

    /**
     * How many times the message was tried.
     *
     * @return how many times the message was tried
     */
    public int attempts() {
        return attempts;
    }

    /** A later attempt, once checkpointing stops, may succeed. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
