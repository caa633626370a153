package dev.vmwguest.rpc.transport;

import java.util.Optional;

/**
 * One open GuestRPC connection, whatever carries it: whole messages to the
 * host and back. {@link dev.vmwguest.rpc.RpcChannel} is the backdoor
 * implementation; the {@code vmwguest-vsock} module provides the other.
 *
 * <p><b>Failures.</b> After any {@link dev.vmwguest.rpc.RpcException} from
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
     * @param message what went wrong, in words for the user
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
