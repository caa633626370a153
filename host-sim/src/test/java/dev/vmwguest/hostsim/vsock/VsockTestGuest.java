package dev.vmwguest.hostsim.vsock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A minimal guest on the stand-in's stream: writes and reads DataMap packets. */
final class VsockTestGuest implements AutoCloseable {

    final SocketChannel channel;

    private VsockTestGuest(SocketChannel channel) {
        this.channel = channel;
    }

    static VsockTestGuest connect(HostVsockStandIn standIn, int port, boolean privileged) {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(HostVsockStandIn.socketPath(standIn.directory(), port, privileged)));
            return new VsockTestGuest(channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request as open-vm-tools' serializer orders it: TYPE, PAYLOAD, FAST_CLOSE if set. */
    static byte[] request(String payload, boolean fastClose) {
        Map<Integer, Object> fields = new LinkedHashMap<>();
        fields.put(HostRpcPacket.FIELD_TYPE, HostRpcPacket.DATA);
        fields.put(HostRpcPacket.FIELD_PAYLOAD, payload.getBytes(StandardCharsets.UTF_8));
        if (fastClose) {
            fields.put(HostRpcPacket.FIELD_FAST_CLOSE, 1L);
        }
        return DataMap.encodePacket(fields);
    }

    void write(byte[] bytes) {
        try {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next packet's raw bytes, length word included; null at end of stream. */
    byte[] readRaw() {
        try {
            ByteBuffer body = DataMap.readPacket(channel, DataMap.DEFAULT_MAX_BODY);
            if (body == null) {
                return null;
            }
            return ByteBuffer.allocate(4 + body.remaining()).putInt(body.remaining()).put(body).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload of the next packet as text; null at end of stream. */
    String read() {
        byte[] raw = readRaw();
        if (raw == null) {
            return null;
        }
        try {
            byte[] payload = HostRpcPacket.decode(ByteBuffer.wrap(raw, 4, raw.length - 4)).payload();
            assertThat(payload).as("payload of the host's packet").isNotNull();
            return new String(payload, StandardCharsets.UTF_8);
        } catch (DataMapException e) {
            throw new UncheckedIOException(e);
        }
    }

    String rpci(String request) {
        write(request(request, false));
        return read();
    }

    void heartbeat() {
        write(DataMap.encodePacket(Map.of(HostRpcPacket.FIELD_TYPE, HostRpcPacket.PING)));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Waits for a condition another thread makes true; generous, as the machine may be busy. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
