package dev.vmwguest.rpc;

/**
 * A step failed for a reason other than a closed channel or a restartable
 * checkpoint: the VM is powering off ({@link MessageStatus#POWEROFF}), the host
 * discarded the message ({@link MessageStatus#UNSENT}), or a checkpoint hit a
 * size step, which the protocol does not restart.
 */
public final class RpcStatusException extends RpcStepException {

    private static final long serialVersionUID = 1L;

    RpcStatusException(MessageStep step, int channelId, int status) {
        super(step, channelId, status, advice(status));
    }

    private static String advice(int status) {
        if ((status & MessageStatus.POWEROFF) != 0) {
            return "the VM is powering off; do not retry";
        }
        if ((status & MessageStatus.UNSENT) != 0) {
            return "the host discarded the message";
        }
        if ((status & MessageStatus.CHECKPOINT) != 0) {
            return "the VM was checkpointed (snapshot, suspend, vMotion) during a size step; send the message again";
        }
        return "unexpected status";
    }

    /** Not during a power-off; otherwise a new attempt may succeed. */
    @Override
    public boolean isRetryable() {
        return (status() & MessageStatus.POWEROFF) == 0;
    }
}
