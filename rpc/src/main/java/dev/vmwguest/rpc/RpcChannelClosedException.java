package dev.vmwguest.rpc;

/**
 * The channel is no longer valid: the host closed it, reset (resume, vMotion),
 * timed it out, or no longer accepts its cookies; or it was closed here. Open a
 * new channel; whether to resend the message is the caller's decision (the
 * host may have acted on it).
 */
public final class RpcChannelClosedException extends RpcStepException {

    private static final long serialVersionUID = 1L;

    RpcChannelClosedException(MessageStep step, int channelId, int status) {
        super(step, channelId, status, "the channel is no longer valid: closed by the host, a host reset or vMotion, "
                + "or an idle timeout; open a new channel");
    }

    RpcChannelClosedException(MessageStep step, int channelId, String why) {
        super(step, channelId, 0, why);
    }

    /** A new channel may well work. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
