package dev.vmwguest.rpc;

/**
 * The host did not open a channel: every channel is taken, or the host has no
 * GuestRPC at all (an emulator such as QEMU's vmport answers GETVERSION but
 * not MESSAGE).
 */
public final class RpcOpenException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** Whether the host has no GuestRPC at all; serialized with the exception. */
    private final boolean guestRpcUnavailable;
    /** The status of the last OPEN attempt; serialized with the exception. */
    private final int status;

    RpcOpenException(RpcProtocol protocol, int status, boolean guestRpcUnavailable) {
        super(guestRpcUnavailable
                ? "OPEN of a " + protocol + " channel was not handled: this host answers the backdoor but has no "
                        + "GuestRPC (an emulator such as QEMU's vmport?); RPCI and TCLO are unavailable here"
                : "host refused to open a " + protocol + " channel (status " + MessageStatus.describe(status)
                        + "): its channel table is probably full (128 channels, 8 on hosts before 2022); "
                        + "close unused channels or retry later");
        this.guestRpcUnavailable = guestRpcUnavailable;
        this.status = status;
    }

    /**
     * True when the host has no GuestRPC at all, so retrying is pointless.
     *
     * @return whether the host has no GuestRPC at all
     */
    public boolean isGuestRpcUnavailable() {
        return guestRpcUnavailable;
    }

    /**
     * The status the host returned for the last OPEN attempt.
     *
     * @return the status the host returned for the last OPEN attempt
     */
    public int status() {
        return status;
    }

    /** Refusals (channel table full) may clear; a host without GuestRPC never will. */
    @Override
    public boolean isRetryable() {
        return !guestRpcUnavailable;
    }
}
