package dev.vmwguest.rpc;

import dev.vmwguest.backdoor.MessageCommand;
import java.util.StringJoiner;

/**
 * The status bits a host returns for each step: the high half of {@code cx}
 * for low-bandwidth calls, of {@code bx} for high-bandwidth ones
 * (shared/protocol/guestrpc-channel.md section 3).
 */
public final class MessageStatus {

    /** The step did what was asked. */
    public static final int SUCCESS = MessageCommand.STATUS_SUCCESS;
    /** (RECEIVE_SIZE) a host message is waiting; {@code bx} holds its length. */
    public static final int DORECV = MessageCommand.STATUS_DORECV;
    /** The host closed the channel. */
    public static final int CLOSED = MessageCommand.STATUS_CLOSED;
    /** The host discarded its message before the guest fetched it. */
    public static final int UNSENT = MessageCommand.STATUS_UNSENT;
    /** A checkpoint (suspend, snapshot, migration) interrupted the message. */
    public static final int CHECKPOINT = MessageCommand.STATUS_CHECKPOINT;
    /** An underlying device is powering off. */
    public static final int POWEROFF = MessageCommand.STATUS_POWEROFF;
    /** The host timed the channel out. */
    public static final int TIMEOUT = MessageCommand.STATUS_TIMEOUT;
    /** (SEND_SIZE, RECEIVE_SIZE) this message's payload may use the high-bandwidth port. */
    public static final int HIGH_BANDWIDTH = MessageCommand.STATUS_HIGH_BANDWIDTH;

    private static final String[] NAMES = {
        "SUCCESS", "DORECV", "CLOSED", "UNSENT", "CHECKPOINT", "POWEROFF", "TIMEOUT", "HIGH_BANDWIDTH"
    };

    private MessageStatus() {
    }

    /**
     * Whether {@code status} has the SUCCESS bit.
     *
     * @param status the status word from the high half of {@code cx}
     * @return whether {@code status} has the SUCCESS bit
     */
    public static boolean isSuccess(int status) {
        return (status & SUCCESS) != 0;
    }

    /**
     * The bits by name, e.g. {@code 0x0011 = SUCCESS|CHECKPOINT}; {@code 0x0000 = none}.
     *
     * @param status the status word from the high half of {@code cx}
     * @return the set bits by name, joined by {@code |}
     */
    public static String describe(int status) {
        StringJoiner names = new StringJoiner("|");
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((status & (1 << bit)) != 0) {
                names.add(NAMES[bit]);
            }
        }
        if ((status & ~0xFF) != 0) {
            names.add(String.format("0x%04x", status & ~0xFF));
        }
        return String.format("0x%04x = %s", status, names.length() == 0 ? "none" : names);
    }
}
