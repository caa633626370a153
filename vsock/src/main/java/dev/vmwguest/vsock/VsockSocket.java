package dev.vmwguest.vsock;

import java.nio.ByteBuffer;

/**
 * One stream socket of family 40, reduced to the calls the transport makes.
 * Implemented by libc through JNA and by the Unix-socket stand-in, so that
 * the connector and the connection run unchanged over either. Not
 * thread-safe, except {@link #shutdown()}, which may be called from any
 * thread to wake a blocked read.
 */
interface VsockSocket extends AutoCloseable {

    /** {@code bind()} to {@code cid}:{@code port} ({@link SockaddrVm#PORT_ANY}: the kernel picks). */
    void bind(int cid, int port) throws ErrnoException;

    /** Blocking {@code connect()}; the kernel gives up after its connect timeout ({@code ETIMEDOUT}). */
    void connect(int cid, int port) throws ErrnoException;

    /**
     * Reads at most {@code target.remaining()} bytes, waiting at most
     * {@code timeoutMillis} for the first.
     *
     * @return bytes read; 0 when none arrived in time; -1 at end of stream
     */
    int read(ByteBuffer target, int timeoutMillis) throws ErrnoException;

    /** Writes all of {@code source}, retrying short writes and {@code EINTR}. */
    void write(ByteBuffer source) throws ErrnoException;

    /** Ends both directions, waking a blocked read; never throws. */
    void shutdown();

    /** Releases the socket; idempotent, never throws. */
    @Override
    void close();

    /** Creates sockets: the {@code socket()} call. */
    interface Factory {

        /** {@code socket(AF_VSOCK, SOCK_STREAM, 0)}. */
        VsockSocket open() throws ErrnoException;

        /** What these sockets are, for messages ({@code AF_VSOCK}, or the stand-in's directory). */
        String describe();
    }
}
