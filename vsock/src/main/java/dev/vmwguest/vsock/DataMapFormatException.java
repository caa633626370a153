package dev.vmwguest.vsock;

import dev.vmwguest.rpc.RpcException;

/**
 * A packet from the host is not a valid DataMap (transports.md section 1.3):
 * truncated, an unknown entry type, a repeated field, a string length that
 * is zero, negative or past the end, or a GuestRPC field of the wrong type.
 * The connection is closed; nothing in the packet was used.
 */
public final class DataMapFormatException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** Where in the packet body the problem was found; serialized with the exception. */
    private final int offset;

    DataMapFormatException(String problem, int offset) {
        super("malformed DataMap packet from the host at body offset " + offset + ": " + problem);
        this.offset = offset;
    }

    /**
     * Where in the packet body (after the 4-byte length) the problem was found.
     *
     * @return where in the packet body (after the 4-byte length) the problem was found
     */
    public int offset() {
        return offset;
    }
}
