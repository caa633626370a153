package dev.vmwguest.backdoor;

/**
 * The wire codes of {@link BackdoorCommand#MESSAGE} (command 30, GuestRPC)
 * that the guest and the host side both use, written once here: the seven
 * sub-command types the guest puts in the high half of {@code cx}, the status
 * bits the host answers with, and the protocol numbers and flag of OPEN
 * (shared/protocol/guestrpc-channel.md sections 1 to 3).
 *
 * <p>Plain numbers, not an enum: each side gives them its own meaning (the
 * guest's steps with their high-bandwidth variants, the host's fault and
 * counter keys), and this module only names what is on the wire.
 */
public final class MessageCommand {

    /** Type 0: open a channel; {@code bx} = protocol number | {@link #FLAG_COOKIE}. */
    public static final int OPEN = 0;
    /** Type 1: announce the length of the guest's message. */
    public static final int SEND_SIZE = 1;
    /** Type 2: the next up to 4 bytes of the guest's message. */
    public static final int SEND_PAYLOAD = 2;
    /** Type 3: ask for the length of the host's pending message. */
    public static final int RECEIVE_SIZE = 3;
    /** Type 4: fetch the next up to 4 bytes of the host's message. */
    public static final int RECEIVE_PAYLOAD = 4;
    /** Type 5: the guest acknowledges (1) or rejects (0) the host's message. */
    public static final int RECEIVE_STATUS = 5;
    /** Type 6: close the channel. */
    public static final int CLOSE = 6;
    /** How many types there are: codes {@code 0 .. TYPES - 1}. */
    public static final int TYPES = 7;

    /** Status bit: the call did what was asked. */
    public static final int STATUS_SUCCESS = 0x0001;
    /** Status bit (RECEIVE_SIZE): a host message is waiting; {@code bx} holds its length. */
    public static final int STATUS_DORECV = 0x0002;
    /** Status bit: the host closed the channel. */
    public static final int STATUS_CLOSED = 0x0004;
    /** Status bit: the host discarded its message before the guest fetched it. */
    public static final int STATUS_UNSENT = 0x0008;
    /** Status bit: a checkpoint (suspend, snapshot, migration) interrupted the message. */
    public static final int STATUS_CHECKPOINT = 0x0010;
    /** Status bit: an underlying device is powering off. */
    public static final int STATUS_POWEROFF = 0x0020;
    /** Status bit: the host timed the channel out. */
    public static final int STATUS_TIMEOUT = 0x0040;
    /** Status bit (SEND_SIZE, RECEIVE_SIZE): this message's payload may use the high-bandwidth port. */
    public static final int STATUS_HIGH_BANDWIDTH = 0x0080;

    /** OPEN's protocol number for guest-to-host commands: the bytes "RPCI" read little-endian. */
    public static final int PROTOCOL_RPCI = 0x49435052;
    /** OPEN's protocol number for host-to-guest commands: the bytes "TCLO" read little-endian. */
    public static final int PROTOCOL_TCLO = 0x4F4C4354;
    /** ORed into OPEN's protocol number: the host hands out cookies that every later call must carry. */
    public static final int FLAG_COOKIE = 0x80000000;

    private MessageCommand() {
    }
}
