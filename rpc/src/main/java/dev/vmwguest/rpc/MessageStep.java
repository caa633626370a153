package dev.vmwguest.rpc;

import dev.vmwguest.backdoor.MessageCommand;

/**
 * The steps of a GuestRPC exchange: the seven message types the host expects in
 * the high half of {@code cx} (codes from {@link MessageCommand}), and the two
 * high-bandwidth transfers that stand in for the payload steps.
 */
public enum MessageStep {
    /** Type 0: open a channel. */
    OPEN(MessageCommand.OPEN, false),
    /** Type 1: announce the length of a guest-to-host message. */
    SEND_SIZE(MessageCommand.SEND_SIZE, false),
    /** Type 2: four payload bytes, guest to host. */
    SEND_PAYLOAD(MessageCommand.SEND_PAYLOAD, false),
    /** Type 3: ask for the length of a pending host-to-guest message. */
    RECEIVE_SIZE(MessageCommand.RECEIVE_SIZE, false),
    /** Type 4: four payload bytes, host to guest. */
    RECEIVE_PAYLOAD(MessageCommand.RECEIVE_PAYLOAD, false),
    /** Type 5: acknowledge (or reject) the received message. */
    RECEIVE_STATUS(MessageCommand.RECEIVE_STATUS, false),
    /** Type 6: close the channel. */
    CLOSE(MessageCommand.CLOSE, false),
    /** {@code rep outsb}: the whole payload in one call, replacing {@link #SEND_PAYLOAD}. */
    SEND_PAYLOAD_HIGH_BANDWIDTH(MessageCommand.SEND_PAYLOAD, true),
    /** {@code rep insb}: the whole payload in one call, replacing {@link #RECEIVE_PAYLOAD}. */
    RECEIVE_PAYLOAD_HIGH_BANDWIDTH(MessageCommand.RECEIVE_PAYLOAD, true);

    private final int code;
    private final boolean highBandwidth;

    MessageStep(int code, boolean highBandwidth) {
        this.code = code;
        this.highBandwidth = highBandwidth;
    }

    /**
     * The message type number; for the high-bandwidth steps, that of the step they replace.
     *
     * @return the message type number
     */
    public int code() {
        return code;
    }

    /**
     * Whether this step is a high-bandwidth transfer.
     *
     * @return whether this step is a high-bandwidth transfer
     */
    public boolean isHighBandwidth() {
        return highBandwidth;
    }

    /**
     * Whether a checkpoint reported on this step means "start the message
     * again". Only payload and status steps qualify (open-vm-tools' message.c
     * semantics, guestrpc-channel.md section 3); on the size steps a missing
     * success bit is a hard failure even with the checkpoint bit set.
     *
     * @return whether a checkpoint reported on this step means "start the message again"
     */
    public boolean honoursCheckpoint() {
        return this == SEND_PAYLOAD || this == RECEIVE_PAYLOAD || this == RECEIVE_STATUS
                || this == SEND_PAYLOAD_HIGH_BANDWIDTH || this == RECEIVE_PAYLOAD_HIGH_BANDWIDTH;
    }
}
