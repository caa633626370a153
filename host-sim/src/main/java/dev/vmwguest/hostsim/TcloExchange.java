package dev.vmwguest.hostsim;

import java.util.Optional;

/**
 * One TCLO command the host delivered and what became of it.
 *
 * @param command     the command text (UTF-8 decoded)
 * @param channel     the id of the channel it was delivered on
 * @param hostCommand true for commands the host sent by itself (the {@code reset} of the attach
 *                    handshake), false for those queued with {@link TcloQueue#send}
 * @param outcome     what the guest did
 * @param reply       the guest's reply, trailing NULs removed, once answered
 */
public record TcloExchange(String command, int channel, boolean hostCommand, Outcome outcome,
        Optional<String> reply) {

    /** What the guest did with a delivered command. */
    public enum Outcome {
        /** Delivered; the reply is still owed. */
        OUTSTANDING,
        /** The guest answered. */
        ANSWERED,
        /** The guest sent an empty message instead of a reply (it lost the reply). */
        NO_REPLY,
        /** The guest rejected the message while fetching it (error-ack). */
        REJECTED,
        /** The channel closed, or the host reset, before the guest answered. */
        CHANNEL_CLOSED
    }

    /**
     * Whether the reply starts with {@code OK } or {@code ERROR } as open-vm-tools' replies do (tclo.md section 2).
     *
     * @return whether the reply starts with {@code OK } or {@code ERROR } as open-vm-tools' replies do (tclo.md section 2)
     */
    public boolean wellFormed() {
        return reply.filter(r -> r.startsWith("OK ") || r.startsWith("ERROR ")).isPresent();
    }
}
