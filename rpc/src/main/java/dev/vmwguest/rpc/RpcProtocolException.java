package dev.vmwguest.rpc;

/**
 * The host broke the protocol: a wrong type echo, no reply where one is owed,
 * or (in layers above) a malformed reply. Reported as an error, never turned
 * into a wrong answer.
 */
public final class RpcProtocolException extends RpcException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception describing what the host did and what was expected.
     *
     * @param message what went wrong, in words for the user
     */
    public RpcProtocolException(String message) {
        super(message);
    }
}
