package dev.vmwguest.vsock;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The host side of the Unix-socket stand-in, for this module's tests: listens
 * on {@code D/976.sock}, {@code D/976-privileged.sock} and {@code D/975.sock}
 * as agreed with the simulator, answers RPCI with a function and pushes TCLO
 * commands from a queue. Replies are written by hand, PAYLOAD only, as the
 * VMX is inferred to write them (transports.md 1.3), so that the client's
 * decoder is not checked against its own encoder.
 */
final class FakeVsockHost implements AutoCloseable {

    /** One packet the host received and on which socket file. */
    record Received(String socket, GuestRpcPacket packet) {
        String text() {
            return packet.payload().map(p -> new String(p, StandardCharsets.ISO_8859_1)).orElse("");
        }
    }

    final Path directory;
    final List<Received> rpci = new CopyOnWriteArrayList<>();
    final BlockingQueue<Received> tclo = new LinkedBlockingQueue<>();
    final BlockingDeque<String> tcloCommands = new LinkedBlockingDeque<>();
    final List<String> connections = new CopyOnWriteArrayList<>();
    volatile Function<String, byte[]> rpciReply = request -> packet("1 " + request);
    /** Commands the VM's policy restricts: refused with {@code 0 Permission denied} unless the source port is privileged. */
    final Set<String> restricted = new CopyOnWriteArraySet<>();
    private final List<ServerSocketChannel> servers = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();

    private FakeVsockHost(Path directory) {
        this.directory = directory;
    }

    static FakeVsockHost start(Path directory) throws IOException {
        FakeVsockHost host = new FakeVsockHost(directory);
        host.listen("976.sock", host::serveRpci);
        host.listen("976-privileged.sock", host::serveRpci);
        host.listen("975.sock", host::serveTclo);
        return host;
    }

    /** The standard reply packet: PAYLOAD only. */
    static byte[] packet(String payload) {
        byte[] text = payload.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(16 + text.length).putInt(12 + text.length).putInt(2).putInt(2)
                .putInt(text.length).put(text).array();
    }

    /** Any bytes as a packet body, length prefix added. */
    static byte[] raw(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private interface Server {
        void serve(String socket, SocketChannel client) throws IOException, InterruptedException;
    }

    private void listen(String name, Server server) throws IOException {
        Path file = directory.resolve(name);
        Files.deleteIfExists(file);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(file));
        servers.add(channel);
        Thread acceptor = new Thread(() -> {
            while (channel.isOpen()) {
                try {
                    SocketChannel client = channel.accept();
                    clients.add(client);
                    connections.add(name);
                    Thread worker = new Thread(() -> {
                        try {
                            server.serve(name, client);
                        } catch (IOException | InterruptedException | RuntimeException ended) {
                            // the client went away or the test closed the host
                        } finally {
                            quietly(client);
                        }
                    }, "fake-host-" + name);
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "fake-host-accept-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serveRpci(String socket, SocketChannel client) throws IOException {
        while (true) {
            GuestRpcPacket request = read(client);
            Received received = new Received(socket, request);
            rpci.add(received);
            String command = received.text().split(" ", 2)[0];
            byte[] reply = restricted.contains(command) && !socket.contains("privileged")
                    ? packet("0 Permission denied") : rpciReply.apply(received.text());
            if (reply.length > 0) {
                client.write(ByteBuffer.wrap(reply));
            }
        }
    }

    private void serveTclo(String socket, SocketChannel client) throws IOException, InterruptedException {
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    tclo.add(new Received(socket, read(client)));
                }
            } catch (IOException | RuntimeException ended) {
                // connection closed
            }
        }, "fake-host-tclo-reader");
        reader.setDaemon(true);
        reader.start();
        while (client.isOpen()) {
            String command = tcloCommands.poll(100, TimeUnit.MILLISECONDS);
            if (command != null) {
                try {
                    client.write(ByteBuffer.wrap(packet(command)));
                } catch (IOException dropped) {
                    tcloCommands.putFirst(command);   // for the guest's next connection
                    throw dropped;
                }
            }
        }
    }

    private static GuestRpcPacket read(SocketChannel client) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        fill(client, header);
        ByteBuffer body = ByteBuffer.allocate(header.flip().getInt());
        fill(client, body);
        return GuestRpcPacket.decode(body.array());
    }

    private static void fill(SocketChannel client, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (client.read(buffer) < 0) {
                throw new IOException("closed");
            }
        }
    }

    /** Waits for the next TCLO packet from the guest; fails the test after a generous 10 s. */
    Received nextTclo() throws InterruptedException {
        Received next = tclo.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the guest sent no TCLO packet within 10 s");
        }
        return next;
    }

    /** Drops every open connection, as a host restart or vMotion would; keeps listening. */
    void dropConnections() {
        clients.forEach(FakeVsockHost::quietly);
        clients.clear();
    }

    @Override
    public void close() {
        servers.forEach(FakeVsockHost::quietly);
        clients.forEach(FakeVsockHost::quietly);
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
