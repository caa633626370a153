package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.MessageCommand;

/**
 * The MESSAGE (backdoor command 30) sub-commands as the host counts them and
 * injects faults into: one constant per {@link MessageCommand} type code
 * (shared/protocol/guestrpc-channel.md section 2).
 *
 * <p>The high-bandwidth transfers have no sub-command of their own; where a
 * fault or counter applies to "the payload step", {@link #SEND_PAYLOAD} covers
 * both the low-bandwidth words and the {@code rep outsb} transfer and
 * {@link #RECEIVE_PAYLOAD} both the words and the {@code rep insb} transfer.
 */
public enum MessageType {
    /** Type 0: open a channel; {@code bx} = protocol | cookie flag. */
    OPEN(MessageCommand.OPEN),
    /** Type 1: announce the length of the guest's message. */
    SEND_SIZE(MessageCommand.SEND_SIZE),
    /** Type 2: the next up to 4 bytes of the guest's message (or its high-bandwidth transfer). */
    SEND_PAYLOAD(MessageCommand.SEND_PAYLOAD),
    /** Type 3: ask for the length of the host's pending message. */
    RECEIVE_SIZE(MessageCommand.RECEIVE_SIZE),
    /** Type 4: fetch the next up to 4 bytes of the host's message (or its high-bandwidth transfer). */
    RECEIVE_PAYLOAD(MessageCommand.RECEIVE_PAYLOAD),
    /** Type 5: the guest acknowledges (1) or rejects (0) the host's message. */
    RECEIVE_STATUS(MessageCommand.RECEIVE_STATUS),
    /** Type 6: close the channel. */
    CLOSE(MessageCommand.CLOSE);

    private static final MessageType[] BY_CODE = values();

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /**
     * The number in the high half of {@code cx}.
     *
     * @return the number in the high half of {@code cx}
     */
    public int code() {
        return code;
    }

    /** The type with this code, or {@code null} for codes 7 and above (package use only). */
    static @org.jspecify.annotations.Nullable MessageType byCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
