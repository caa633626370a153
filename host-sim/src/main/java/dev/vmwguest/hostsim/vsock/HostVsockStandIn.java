package dev.vmwguest.hostsim.vsock;

import dev.vmwguest.hostsim.internal.VsockHostSide;
import dev.vmwguest.hostsim.internal.VsockSideAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The vsock side of a {@link dev.vmwguest.hostsim.SimulatedHost}, on Unix-domain sockets standing in
 * for AF_VSOCK (shared/protocol/transports.md section 4.2), sharing the host's
 * guestinfo store, RPCI handlers, secure-RPC rules, TCLO queue and records with
 * its backdoor side, so one test can mix transports.
 *
 * <h2>The stand-in contract</h2>
 * The stand-in is a directory D. For each vsock port P (976 = RPCI, 975 = TCLO)
 * the host listens on {@code D/P.sock} for connections whose vsock source port
 * would be unprivileged (1024 or above) and on {@code D/P-privileged.sock} for
 * those whose source port would be below 1024. Each carries exactly the vsock
 * byte stream (DataMap packets, transports.md section 1.3), with no preamble.
 * A guest-side client (or the test suite's LD_PRELOAD shim for unmodified
 * programs) picks the file from the source port it bound.
 *
 * <h2>What the host does</h2>
 * <ul>
 *   <li>976: per request packet, one reply packet with the PAYLOAD field only (the form the VMX is
 *       inferred to send), produced by the same RPCI interpreter as the backdoor; requests matching
 *       {@link dev.vmwguest.hostsim.RpciHandlers#requireSecure(String)} get {@code 0 Permission denied} unless the
 *       connection is privileged; FAST_CLOSE closes the connection after the reply.</li>
 *   <li>975: TCLO is pushed (section 1.5): {@code reset} at once, then each command queued with
 *       {@link dev.vmwguest.hostsim.TcloQueue#send}, one at a time, each after the guest's reply to the previous one.
 *       The guest's PING packets are counted; a guest silent for
 *       {@link VsockOptions#missedHeartbeats()} intervals after its first reply is recorded.
 *       TCLO exchanges appear in {@link dev.vmwguest.hostsim.TcloQueue#history()} with channel ids from
 *       {@value #CHANNEL_BASE} up (connection id + {@value #CHANNEL_BASE}).</li>
 *   <li>A malformed or oversized packet closes that connection, with the reason recorded in
 *       {@link #connections()} and {@link #events()}; nothing is thrown into the test.</li>
 * </ul>
 * vsock traffic costs no backdoor calls: {@link dev.vmwguest.hostsim.SimulatedHost#calls()} counts RPCI
 * commands by name for both transports but calls only for the backdoor; packet
 * counts are here.
 *
 * <p>Thread-safe. One acceptor thread per socket file and one thread per
 * connection (two for TCLO); {@link #close()} stops them all, removes the
 * socket files and returns within a few seconds.
 */
public final class HostVsockStandIn implements AutoCloseable {

    /** The RPCI port (GUESTRPC_RPCI_VSOCK_LISTEN_PORT, transports.md section 1.1). */
    public static final int RPCI_PORT = 976;
    /** The TCLO port (GUESTRPC_TCLO_VSOCK_LISTEN_PORT). */
    public static final int TCLO_PORT = 975;
    /** TCLO channel ids of vsock connections start here, above the backdoor's channel table. */
    public static final int CHANNEL_BASE = 100_000;

    private static final int EVENT_CAPACITY = 10_000;
    private static final long JOIN_MILLIS = 5_000;

    static {
        VsockSideAccess.register((host, directory, options) -> new HostVsockStandIn(host, directory,
                (VsockOptions) options));
    }

    private final VsockHostSide host;
    private final Runnable forgetReset;
    private final Path directory;
    private final VsockOptions options;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    // Queues, not copy-on-write lists: a benchmark of one-shot requests adds a connection per request.
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    private final Queue<HostVsockConnection> connections = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile boolean closed;

    /** Started by {@link dev.vmwguest.hostsim.SimulatedHost#vsock(Path, VsockOptions)}. */
    private HostVsockStandIn(VsockHostSide host, Path directory, VsockOptions options) {
        this.host = host;
        this.forgetReset = host.onHostReset(this::resetConnections);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.options = Objects.requireNonNull(options, "options");
        try {
            Files.createDirectories(directory);
            for (int port : new int[] {RPCI_PORT, TCLO_PORT}) {
                for (boolean privileged : new boolean[] {false, true}) {
                    listen(port, privileged);
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot listen in " + directory, e);
        }
    }

    /**
     * The socket file for {@code port}: {@code D/<port>.sock} or {@code D/<port>-privileged.sock}.
     *
     * @param directory the stand-in's directory
     * @param port the vsock port
     * @param privileged whether the guest's source port is below 1024
     * @return the socket file for {@code port}
     */
    public static Path socketPath(Path directory, int port, boolean privileged) {
        return directory.resolve(port + (privileged ? "-privileged" : "") + ".sock");
    }

    /**
     * The directory D of the contract.
     *
     * @return the directory D of the contract
     */
    public Path directory() {
        return directory;
    }

    /**
     * The options this stand-in was started with.
     *
     * @return the options this stand-in was started with
     */
    public VsockOptions options() {
        return options;
    }

    /**
     * Every connection accepted so far, open or closed, in accept order.
     *
     * @return every connection accepted so far, open or closed, in accept order
     */
    public List<VsockConnectionStats> connections() {
        return connections.stream().map(HostVsockConnection::stats).toList();
    }

    /**
     * The connections to {@code port} (976 or 975), in accept order.
     *
     * @param port the vsock port, 976 or 975
     * @return the connections to {@code port} (976 or 975), in accept order
     */
    public List<VsockConnectionStats> connections(int port) {
        return connections().stream().filter(c -> c.port() == port).toList();
    }

    /**
     * DataMap packets received on {@code port}, over all its connections.
     *
     * @param port the vsock port, 976 or 975
     * @return the number of DataMap packets received on {@code port}
     */
    public long packetsFromGuest(int port) {
        return connections(port).stream().mapToLong(VsockConnectionStats::packetsFromGuest).sum();
    }

    /**
     * DataMap packets sent on {@code port}, over all its connections.
     *
     * @param port the vsock port, 976 or 975
     * @return the number of DataMap packets sent on {@code port}
     */
    public long packetsToGuest(int port) {
        return connections(port).stream().mapToLong(VsockConnectionStats::packetsToGuest).sum();
    }

    /**
     * TCLO PING packets received, over all connections.
     *
     * @return the number of TCLO PING packets received
     */
    public long heartbeats() {
        return connections(TCLO_PORT).stream().mapToLong(VsockConnectionStats::heartbeats).sum();
    }

    /**
     * Times a TCLO guest went silent (see {@link VsockOptions#missedHeartbeats()}), over all connections.
     *
     * @return the number of times a TCLO guest went silent
     */
    public long silences() {
        return connections(TCLO_PORT).stream().mapToLong(VsockConnectionStats::silences).sum();
    }

    /**
     * What happened, one line per event, oldest first: connections, RPCI requests with their
     * replies, TCLO commands with their replies, closes with their reasons. The newest
     * {@value #EVENT_CAPACITY} are kept.
     *
     * @return what happened, one line per event, oldest first
     */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Threads of this stand-in still alive (acceptors and connections); none after {@link #close()}. */
    int liveThreads() {
        return (int) threads.stream().filter(Thread::isAlive).count();
    }

    /**
     * Stops listening, closes every connection (outstanding TCLO commands fail as on a closed
     * channel), joins the threads for at most a few seconds and deletes the socket files.
     * Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        forgetReset.run();
        for (ServerSocketChannel server : servers) {
            try {
                server.close();
            } catch (IOException e) {
                event("closing a listener failed: " + e);
            }
        }
        connections.forEach(c -> c.close("host closed"));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (left > 0) {
                    thread.join(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) {
                event("thread " + thread.getName() + " did not stop in time");
            }
        }
        for (Path file : socketFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                event("cannot delete " + file + ": " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "HostVsockStandIn[" + directory + ", " + connections.size() + " connections]";
    }

    /** {@link dev.vmwguest.hostsim.SimulatedHost#resetHost()}: every open connection ends; listening goes on. */
    private void resetConnections() {
        connections.forEach(c -> c.close("host reset"));
    }

    // ---------------------------------------------------------------- for HostVsockConnection

    VsockHostSide host() {
        return host;
    }

    boolean closed() {
        return closed;
    }

    Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.removeIf(t -> !t.isAlive() && t.getState() == Thread.State.TERMINATED);
        threads.add(thread);
        thread.start();
        return thread;
    }

    synchronized void event(String line) {
        if (events.size() == EVENT_CAPACITY) {
            events.removeFirst();
        }
        events.addLast(line);
    }

    // ---------------------------------------------------------------- accepting

    private void listen(int port, boolean privileged) throws IOException {
        Path file = socketPath(directory, port, privileged);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        servers.add(server);
        server.bind(UnixDomainSocketAddress.of(file));
        socketFiles.add(file);
        start("vsock-" + file.getFileName() + "-accept", () -> accept(server, port, privileged));
    }

    private void accept(ServerSocketChannel server, int port, boolean privileged) {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                event("accept on " + port + (privileged ? " (privileged)" : "") + " failed: " + e);
                return;
            }
            HostVsockConnection connection = new HostVsockConnection(this, channel, nextId.getAndIncrement(), port,
                    privileged, options);
            connections.add(connection);
            if (closed) {
                connection.close("host closed");
                return;
            }
            connection.start();
        }
    }
}
