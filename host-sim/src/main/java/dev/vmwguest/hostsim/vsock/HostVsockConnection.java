package dev.vmwguest.hostsim.vsock;

import dev.vmwguest.hostsim.internal.PushedTcloSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One guest connection to a {@link HostVsockStandIn}: RPCI request/reply on 976,
 * pushed TCLO with heartbeat bookkeeping on 975 (transports.md sections 1.4,
 * 1.5). Every failure ends in {@link #close(String)} with a reason; nothing
 * escapes its threads.
 */
final class HostVsockConnection {

    /** How often the TCLO pusher looks at the queue and the clock when nothing woke it. */
    private static final long IDLE_WAKE_MILLIS = 50;

    private final HostVsockStandIn standIn;
    private final SocketChannel channel;
    private final int id;
    private final int port;
    private final boolean privileged;
    private final VsockOptions options;
    private final String name;

    private final AtomicLong packetsFromGuest = new AtomicLong();
    private final AtomicLong packetsToGuest = new AtomicLong();
    private final AtomicLong bytesFromGuest = new AtomicLong();
    private final AtomicLong bytesToGuest = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong silences = new AtomicLong();

    /** Guards the TCLO state below and is the pusher's wake-up monitor. */
    private final Object tcloLock = new Object();
    private @Nullable PushedTcloSession session;
    private long lastPacketNanos = System.nanoTime();
    private boolean replied;
    /** The guest attached an app name that is taken: nothing more is pushed, the connection closes. */
    private boolean refused;
    private boolean silent;
    private final Runnable wake = this::wake;

    private volatile @Nullable String closeReason;

    HostVsockConnection(HostVsockStandIn standIn, SocketChannel channel, int id, int port, boolean privileged,
            VsockOptions options) {
        this.standIn = standIn;
        this.channel = channel;
        this.id = id;
        this.port = port;
        this.privileged = privileged;
        this.options = options;
        this.name = "vsock-" + id + "-" + port + (privileged ? "p" : "");
    }

    void start() {
        standIn.event(name + ": connected" + (privileged ? " (privileged)" : ""));
        if (port == HostVsockStandIn.TCLO_PORT) {
            synchronized (tcloLock) {
                session = standIn.host().attachPushedTclo(HostVsockStandIn.CHANNEL_BASE + id);
            }
            standIn.host().addTcloListener(wake);
            standIn.start(name + "-push", guarded(this::pushTclo));
            standIn.start(name + "-read", guarded(this::readTclo));
        } else {
            standIn.start(name + "-read", guarded(this::serveRpci));
        }
    }

    VsockConnectionStats stats() {
        return new VsockConnectionStats(id, port, privileged, packetsFromGuest.get(), packetsToGuest.get(),
                bytesFromGuest.get(), bytesToGuest.get(), heartbeats.get(), silences.get(), closeReason == null,
                Optional.ofNullable(closeReason));
    }

    /** Closes once; the first reason wins. */
    void close(String reason) {
        synchronized (this) {
            if (closeReason != null) {
                return;
            }
            closeReason = reason;
        }
        standIn.event(name + ": closed: " + reason);
        try {
            channel.close();
        } catch (IOException e) {
            standIn.event(name + ": close failed: " + e);
        }
        PushedTcloSession s;
        synchronized (tcloLock) {
            s = session;
            session = null;
            tcloLock.notifyAll();
        }
        if (s != null) {
            standIn.host().removeTcloListener(wake);
            s.detach();
            standIn.host().runAfterUnlock();
        }
    }

    // ---------------------------------------------------------------- RPCI (976)

    private void serveRpci() throws IOException {
        HostRpcPacket request;
        while ((request = receive()) != null) {
            byte[] payload = request.payload();
            if (payload == null) {
                // No payload is a transport failure on the reply side (transports.md 1.4); treated alike here.
                close("request without payload (type " + request.type() + ")");
                return;
            }
            byte[] reply = standIn.host().processRpci(payload, payload.length, privileged);
            standIn.host().runAfterUnlock();
            if (reply == null) {
                close("fault: reply withheld");
                return;
            }
            standIn.event(name + ": rpci '" + text(payload) + "' -> '" + text(reply) + "'");
            send(HostRpcPacket.encodeReply(reply));
            if (request.fastClose()) {
                close("fast close");
                return;
            }
        }
    }

    // ---------------------------------------------------------------- TCLO (975)

    private void readTclo() throws IOException {
        HostRpcPacket packet;
        while ((packet = receive()) != null) {
            PushedTcloSession s;
            synchronized (tcloLock) {
                lastPacketNanos = System.nanoTime();
                silent = false;
                s = session;
            }
            if (packet.heartbeat()) {
                heartbeats.incrementAndGet();
                continue;
            }
            byte[] payload = packet.payload();
            if (payload == null || s == null) {
                close(payload == null ? "TCLO packet without payload (type " + packet.type() + ")" : "host closed");
                return;
            }
            standIn.event(name + ": tclo reply '" + text(payload) + "'");
            boolean duplicateApp;
            // One step under the pusher's lock: a losing app's session offers reset again at once, and
            // the pusher must not send it between the reply and the close.
            synchronized (tcloLock) {
                s.received(payload, payload.length);
                duplicateApp = s.closePending();
                refused = duplicateApp;
                replied = true;
                tcloLock.notifyAll();
            }
            standIn.host().runAfterUnlock();
            if (duplicateApp) {
                close("app name already attached");
                return;
            }
        }
    }

    private void pushTclo() throws IOException, InterruptedException {
        long silenceNanos = options.silenceLimit().toNanos();
        while (true) {
            byte[] command;
            synchronized (tcloLock) {
                PushedTcloSession s = session;
                if (s == null || refused) {
                    return;
                }
                if (replied && !silent && System.nanoTime() - lastPacketNanos > silenceNanos) {
                    silent = true;
                    // The event first: a test that saw the count must find the event.
                    standIn.event(name + ": guest silent for " + options.silenceLimit().toMillis() + " ms");
                    silences.incrementAndGet();
                }
                // Delivered before writing: a fast guest's reply must find the command outstanding.
                command = s.deliverNext();
                if (command == null) {
                    tcloLock.wait(IDLE_WAKE_MILLIS);
                    continue;
                }
            }
            standIn.event(name + ": tclo push '" + text(command) + "'");
            send(HostRpcPacket.encodeData(command));
        }
    }

    private void wake() {
        synchronized (tcloLock) {
            tcloLock.notifyAll();
        }
    }

    // ---------------------------------------------------------------- framing

    private @Nullable HostRpcPacket receive() throws IOException {
        ByteBuffer body = DataMap.readPacket(channel, options.maxPacketBody());
        if (body == null) {
            close("guest closed");
            return null;
        }
        packetsFromGuest.incrementAndGet();
        bytesFromGuest.addAndGet(4L + body.remaining());
        return HostRpcPacket.decode(body);
    }

    /** Counted before writing: a guest that has read the packet must find it counted. */
    private void send(byte[] packet) throws IOException {
        packetsToGuest.incrementAndGet();
        bytesToGuest.addAndGet(packet.length);
        ByteBuffer out = ByteBuffer.wrap(packet);
        synchronized (channel) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
    }

    private static String text(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        String s = new String(bytes, 0, Math.min(end, 200), StandardCharsets.ISO_8859_1);
        return end > 200 ? s + "...(" + end + " bytes)" : s;
    }

    private interface Body {
        void run() throws IOException, InterruptedException;
    }

    /** Runs a thread body so that every way out is a recorded close. */
    private Runnable guarded(Body body) {
        return () -> {
            try {
                body.run();
            } catch (DataMapException e) {
                close("malformed packet: " + e.getMessage());
            } catch (ClosedChannelException e) {
                close(standIn.closed() ? "host closed" : "closed");
            } catch (IOException e) {
                close("i/o error: " + e);
            } catch (InterruptedException e) {
                close("interrupted");
            } catch (RuntimeException | Error e) {
                close("internal error: " + e);
            }
        };
    }

    @Override
    public String toString() {
        return name + stats();
    }

}
