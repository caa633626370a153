package dev.vmwguest.rpc;

import java.util.Optional;

/**
 * One open GuestRPC connection, whatever carries it: whole messages to the
 * host and back. {@link RpcChannel} is the backdoor
 * implementation; the {@code vmwguest-vsock} module provides the other.
 *
 * <p><b>Failures.</b> After any {@link RpcException} from
 * {@link #send} or {@link #receive} the connection is dead
 * ({@link #isOpen()} false); close it and open a new one.
 *
 * <p><b>Threads.</b> Not thread-safe: one message at a time.
 */
public interface RpcConnection extends AutoCloseable {

    /**
     * Sends {@code message} as one message. When this returns, the host has
     * the whole message (backdoor) or it is completely written to the socket
     * (vsock); when it throws, the host may have part of it but never acts on
     * a partial message.
     *
     * @param message the whole message (for TCLO, empty is a poll)
     */
    void send(byte[] message);

    /**
     * The host's next message. On a polled connection (the backdoor) empty
     * means the host has nothing now; on a {@linkplain #hostPushes() pushing}
     * one it means nothing arrived within the heartbeat interval.
     *
     * @return the host's next message
     */
    Optional<byte[]> receive();

    /**
     * Sends {@code request} and returns the host's reply: the RPCI pattern,
     * one message each way. A host with no reply ready right after the
     * request is a protocol error; the connection is then closed, so that a
     * late reply cannot be taken for the next request's.
     *
     * @param request the whole request
     * @return the host's reply
     * @throws RpcProtocolException if no reply followed the request; the connection is closed
     * @throws RpcException as {@link #send} and {@link #receive}; the connection is then dead.
     *         {@link RpcException#requestMayBeDelivered()} is false if it came while sending
     */
    default byte[] call(byte[] request) {
        try {
            send(request);
        } catch (RpcException unsent) {
            throw unsent.requestNotDelivered();
        }
        Optional<byte[]> reply = receive();
        if (reply.isEmpty()) {
            close();
            throw new RpcProtocolException("host had no reply ready on the " + transport()
                    + " connection right after the request; a late reply could be taken for the next one's,"
                    + " so the connection was closed");
        }
        return reply.get();
    }

    /**
     * Whether the connection can still carry messages.
     *
     * @return whether the connection can still carry messages
     */
    boolean isOpen();

    /**
     * The transport carrying this connection.
     *
     * @return the transport carrying this connection
     */
    TransportKind transport();

    /**
     * Whether the host sends TCLO commands unasked (vsock, transports.md
     * section 1.5) instead of answering polls (the backdoor). On a pushing
     * connection send only replies, never empty polls.
     *
     * @return whether the host sends TCLO commands unasked (vsock, transports.md section 1.5) instead of answering polls (the backdoor)
     */
    default boolean hostPushes() {
        return false;
    }

    /** Closes the connection. Idempotent, never throws. */
    @Override
    void close();
}
