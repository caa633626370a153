package dev.vmwguest.rpc;

import dev.vmwguest.backdoor.MessageCommand;

/**
 * The two protocols that ride on GuestRPC channels, with the number the guest
 * passes in {@code bx} at OPEN (shared/protocol/guestrpc-channel.md section 1).
 * Read as little-endian bytes, each number spells its name.
 */
public enum RpcProtocol {
    /** Guest-to-host commands with host replies: {@code 0x49435052}, "RPCI". */
    RPCI(MessageCommand.PROTOCOL_RPCI),
    /** Host-to-guest commands with guest replies: {@code 0x4F4C4354}, "TCLO". */
    TCLO(MessageCommand.PROTOCOL_TCLO);

    private final int number;

    RpcProtocol(int number) {
        this.number = number;
    }

    /**
     * The protocol number passed at OPEN, without the cookie flag.
     *
     * @return the protocol number passed at OPEN, without the cookie flag
     */
    public int number() {
        return number;
    }
}
