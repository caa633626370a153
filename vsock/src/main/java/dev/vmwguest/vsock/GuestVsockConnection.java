package dev.vmwguest.vsock;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.RpcMessageTooLargeException;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.RpcProtocolException;
import dev.vmwguest.rpc.TransportKind;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * GuestRPC over one connected vsock stream: one DataMap packet per message
 * (transports.md sections 1.3 to 1.5).
 *
 * <p><b>RPCI</b>: {@link #send} writes a DATA packet (never FAST_CLOSE: the
 * connection is kept), {@link #receive} reads the reply packet, waiting at most
 * the reply timeout. <b>TCLO</b> is pushed: {@link #receive} waits for the
 * host's next command; after the first reply it sends a PING every heartbeat
 * interval (1 s) while waiting, and returns empty at each beat so that the
 * caller can check for a stop.
 *
 * <p>Any failure closes the connection. Not thread-safe, except that
 * {@link #close()} may be called from another thread to end a blocked read.
 */
final class GuestVsockConnection implements RpcConnection {

    private final VsockSocket socket;
    private final RpcProtocol protocol;
    private final TransportKind kind;
    private final int sourcePort;
    private final VsockSettings settings;
    private final RpcChannelOptions options;
    private final LongSupplier nanoClock;
    private volatile boolean open = true;
    /** Guards the descriptor: closed only when no call is using it, so a closing thread never frees it under a read. */
    private final Object lifecycle = new Object();
    private boolean busy;
    private boolean released;
    private boolean replied;
    private long nextPingNanos;

    GuestVsockConnection(VsockSocket socket, RpcProtocol protocol, TransportKind kind, int sourcePort,
            VsockSettings settings, RpcChannelOptions options, LongSupplier nanoClock) {
        this.socket = socket;
        this.protocol = protocol;
        this.kind = kind;
        this.sourcePort = sourcePort;
        this.settings = settings;
        this.options = options;
        this.nanoClock = nanoClock;
    }

    @Override
    public void send(byte[] message) {
        if (message.length > options.maxSendSize()) {
            throw new RpcMessageTooLargeException(protocol + " message over vsock", message.length,
                    options.maxSendSize(), "send less");
        }
        enter();
        try {
            write(GuestRpcPacket.data(message, false));
            if (protocol == RpcProtocol.TCLO && !replied) {
                replied = true;   // vmtoolsd starts the heartbeat after its first reply
                nextPingNanos = nanoClock.getAsLong() + settings.heartbeat().toNanos();
            }
        } finally {
            exit();
        }
    }

    @Override
    public Optional<byte[]> receive() {
        enter();
        try {
            return receiveMessage();
        } finally {
            exit();
        }
    }

    private Optional<byte[]> receiveMessage() {
        if (protocol == RpcProtocol.RPCI) {
            byte[] body = readPacket(millis(settings.replyTimeout().toNanos()))
                    .orElseThrow(() -> fail(new VsockConnectionException("no RPCI reply within "
                            + settings.replyTimeout().toMillis() + " ms on " + describe() + "; connection closed")));
            return Optional.of(payloadOf(body, "RPCI reply"));
        }
        long wait = replied ? Math.max(0, nextPingNanos - nanoClock.getAsLong()) : settings.heartbeat().toNanos();
        Optional<byte[]> body = readPacket(millis(wait));
        if (body.isPresent()) {
            return Optional.of(payloadOf(body.get(), "TCLO command"));
        }
        if (replied && nanoClock.getAsLong() - nextPingNanos >= 0) {
            write(GuestRpcPacket.ping());
            nextPingNanos = nanoClock.getAsLong() + settings.heartbeat().toNanos();
        }
        return Optional.empty();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public TransportKind transport() {
        return kind;
    }

    /** TCLO over vsock is pushed by the host. */
    @Override
    public boolean hostPushes() {
        return protocol == RpcProtocol.TCLO;
    }

    /**
     * Closes the connection. From another thread while a call is in
     * progress, this shuts the socket down (waking the blocked read, which
     * then fails) and the descriptor is released when that call returns.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (open) {
                open = false;
                socket.shutdown();
            }
            if (!busy) {
                release();
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private String describe() {
        return protocol + " over " + kind + (sourcePort >= 0 ? " from port " + sourcePort : "");
    }

    /** A packet's body, or empty when no packet started within {@code firstByteMillis}. */
    private Optional<byte[]> readPacket(int firstByteMillis) {
        ByteBuffer header = ByteBuffer.allocate(4);
        if (!fill(header, firstByteMillis, true)) {
            return Optional.empty();
        }
        long length = Integer.toUnsignedLong(header.flip().getInt());
        if (length > options.maxReceiveSize()) {
            // Checked before allocating: a hostile or broken length must cost nothing.
            throw fail(new RpcMessageTooLargeException("packet announced on " + describe(), length,
                    options.maxReceiveSize(), "the connection was closed"));
        }
        ByteBuffer body = ByteBuffer.allocate((int) length);
        fill(body, millis(settings.replyTimeout().toNanos()), false);
        return Optional.of(body.array());
    }

    /**
     * Fills {@code buffer}. Returns false only when {@code mayBeEmpty} and no
     * byte came within the first wait; a stall or end of stream once bytes
     * have come is a failure.
     */
    private boolean fill(ByteBuffer buffer, int waitMillis, boolean mayBeEmpty) {
        long deadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (buffer.hasRemaining()) {
            int count;
            try {
                count = socket.read(buffer, Math.max(0, millis(deadline - nanoClock.getAsLong())));
            } catch (ErrnoException e) {
                throw fail(new VsockConnectionException("read failed on " + describe() + ": " + e.getMessage(), e));
            }
            if (count < 0) {
                throw fail(new VsockConnectionException("the host closed " + describe()
                        + (buffer.position() > 0 ? " in the middle of a packet" : "")));
            }
            if (count == 0 && nanoClock.getAsLong() - deadline >= 0) {
                if (mayBeEmpty && buffer.position() == 0) {
                    return false;
                }
                throw fail(new VsockConnectionException("the host stopped in the middle of a packet on "
                        + describe() + " for " + waitMillis + " ms"));
            }
        }
        return true;
    }

    private byte[] payloadOf(byte[] body, String what) {
        GuestRpcPacket packet;
        try {
            packet = GuestRpcPacket.decode(body);
        } catch (DataMapFormatException malformed) {
            throw fail(malformed);
        }
        // A packet without field 2 is an error for both readers (open-vm-tools closes the channel).
        return packet.payload().orElseThrow(() -> fail(new RpcProtocolException(what + " on " + describe()
                + " has no payload field (" + packet + "); connection closed")));
    }

    private void write(GuestRpcPacket packet) {
        try {
            socket.write(ByteBuffer.wrap(packet.encode()));
        } catch (ErrnoException e) {
            throw fail(new VsockConnectionException("write failed on " + describe() + ": " + e.getMessage(), e));
        }
    }

    /** Called by the thread in a call: the descriptor is released when the call ends ({@link #exit()}). */
    private RpcException fail(RpcException failure) {
        open = false;
        return failure;
    }

    private void enter() {
        synchronized (lifecycle) {
            if (busy) {
                throw new IllegalStateException(describe() + " is in use by another thread; a connection "
                        + "carries one message at a time");
            }
            if (!open) {
                throw new VsockConnectionException(describe() + " is closed; open a new connection");
            }
            busy = true;
        }
    }

    private void exit() {
        synchronized (lifecycle) {
            busy = false;
            if (!open) {
                release();
            }
        }
    }

    private void release() {
        if (!released) {
            released = true;
            socket.close();
        }
    }

    private static int millis(long nanos) {
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanos)));
    }
}
