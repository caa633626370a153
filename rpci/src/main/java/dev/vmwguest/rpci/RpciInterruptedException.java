package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcException;

/**
 * The thread was interrupted while its command waited for one of the
 * client's channels. Nothing was sent. The thread's interrupt flag is set
 * again before this is thrown, so the code that interrupted it sees it.
 */
public final class RpciInterruptedException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The name of the waiting command, with its key if any; serialized with the exception. */
    private final String command;

    RpciInterruptedException(String command, InterruptedException cause) {
        super("interrupted while RPCI command '" + command + "' waited for a channel; nothing was sent", cause);
        this.command = command;
    }

    /**
     * The command that was waiting, its name, with the key of {@code info-get}/{@code info-set}, never other arguments.
     *
     * @return its name, with the key for {@code info-get} and {@code info-set}
     */
    public String command() {
        return command;
    }
}
