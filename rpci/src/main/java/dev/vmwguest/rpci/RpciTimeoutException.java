package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcException;
import java.time.Duration;

/**
 * No channel of the client came free within {@link RpciOptions#acquireTimeout()}:
 * every channel the client may hold was busy the whole time (or the host's
 * table was full and the client's own channels busy). Nothing was sent;
 * trying again later may succeed.
 */
public final class RpciTimeoutException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The name of the waiting command, with its key if any; serialized with the exception. */
    private final String command;
    /** The acquire timeout that ran out; serialized with the exception. */
    private final Duration timeout;

    RpciTimeoutException(String command, Duration timeout, int channels) {
        super("RPCI command '" + command + "' found no free channel within the acquire timeout of " + timeout
                + " (RpciOptions.acquireTimeout): all " + channels + " of this client's channels stayed busy; "
                + "nothing was sent. Raise RpciOptions.maxChannels or the timeout, or send less at once");
        this.command = command;
        this.timeout = timeout;
    }

    /**
     * The command that was waiting, its name, with the key of {@code info-get}/{@code info-set}, never other arguments.
     *
     * @return its name, with the key for {@code info-get} and {@code info-set}
     */
    public String command() {
        return command;
    }

    /**
     * The timeout that ran out.
     *
     * @return {@link RpciOptions#acquireTimeout()}'s value
     */
    public Duration timeout() {
        return timeout;
    }

    /** True: a channel may be free the next time. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
