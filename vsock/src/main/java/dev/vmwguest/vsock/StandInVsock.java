package dev.vmwguest.vsock;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for AF_VSOCK over Unix-domain sockets, for tests and the host
 * simulator: the same byte stream (DataMap packets, no preamble) on files
 * instead of CID 0.
 *
 * <p><b>Contract with the host side.</b> The stand-in is a directory D. For
 * vsock port P (976 RPCI, 975 TCLO) the host listens on {@code D/P.sock} for
 * connections whose source port would be unprivileged and on
 * {@code D/P-privileged.sock} for those bound below 1024; the CID is ignored.
 *
 * <p><b>Simulated kernel.</b> What the real kernel decides is set here
 * instead, so that every branch of the transport policy can be tested:
 * whether a privileged bind is allowed ({@code EACCES} otherwise), which
 * ports are already in use ({@code EADDRINUSE}), an error for
 * {@code socket()} itself ({@code EAFNOSUPPORT}, {@code EPERM}) and errors for
 * the next connects ({@code ECONNRESET}, {@code ENOBUFS}, ...). A connect to a
 * socket file nobody listens on fails with {@code ECONNRESET}, as the real
 * host answers. Immutable; each {@code with} method returns a new stand-in
 * sharing the connect-error queue and the record of bound ports.
 */
public final class StandInVsock {

    private static final int FIRST_EPHEMERAL_PORT = 49_152;

    private final Path directory;
    private final boolean privilegedBindAllowed;
    private final Set<Integer> portsInUse;
    private final @Nullable VsockErrno socketError;
    private final State state;

    /** What the stand-ins made from one {@link #in(Path)} share. */
    private static final class State {
        final ArrayDeque<VsockErrno> connectErrors = new ArrayDeque<>();
        final List<Integer> bound = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger nextEphemeral = new AtomicInteger(FIRST_EPHEMERAL_PORT);
    }

    private StandInVsock(Path directory, boolean privilegedBindAllowed, Set<Integer> portsInUse,
            @Nullable VsockErrno socketError, State state) {
        this.directory = directory;
        this.privilegedBindAllowed = privilegedBindAllowed;
        this.portsInUse = Set.copyOf(portsInUse);
        this.socketError = socketError;
        this.state = state;
    }

    /**
     * A stand-in on {@code directory}: privileged binds allowed, no port in
     * use, every socket call succeeding unless the host side is missing.
     *
     * @param directory the directory of the host's Unix sockets
     * @return a stand-in on {@code directory}
     */
    public static StandInVsock in(Path directory) {
        return new StandInVsock(Objects.requireNonNull(directory, "directory"), true, Set.of(), null, new State());
    }

    /**
     * This stand-in with privileged binds allowed ({@code true}) or refused with {@code EACCES}.
     *
     * @param allowed whether binding a port below 1024 succeeds
     * @return a copy of this stand-in with that change; this one is unchanged
     */
    public StandInVsock withPrivilegedBind(boolean allowed) {
        return new StandInVsock(directory, allowed, portsInUse, socketError, state);
    }

    /**
     * This stand-in with {@code ports} already bound by someone else ({@code EADDRINUSE}).
     *
     * @param ports the ports to report as in use
     * @return a copy of this stand-in with that change; this one is unchanged
     */
    public StandInVsock withPortsInUse(Set<Integer> ports) {
        return new StandInVsock(directory, privilegedBindAllowed, ports, socketError, state);
    }

    /**
     * This stand-in with {@code socket()} failing with {@code errno} ({@code EAFNOSUPPORT}, {@code EPERM}).
     *
     * @param errno the error {@code socket()} fails with
     * @return a copy of this stand-in with that change; this one is unchanged
     */
    public StandInVsock withSocketError(VsockErrno errno) {
        return new StandInVsock(directory, privilegedBindAllowed, portsInUse, Objects.requireNonNull(errno), state);
    }

    /**
     * Makes the next {@code connect()} calls fail with these errors, one each, in order.
     *
     * @param errors the errors, in order
     * @return this stand-in
     */
    public StandInVsock failNextConnects(VsockErrno... errors) {
        synchronized (state.connectErrors) {
            state.connectErrors.addAll(List.of(errors));
        }
        return this;
    }

    /**
     * Whether a privileged bind succeeds on this stand-in.
     *
     * @return whether a privileged bind succeeds on this stand-in
     */
    public boolean privilegedBindAllowed() {
        return privilegedBindAllowed;
    }

    /**
     * The directory holding the host's sockets.
     *
     * @return the directory holding the host's sockets
     */
    public Path directory() {
        return directory;
    }

    /**
     * The socket file the host listens on for vsock {@code port} from a privileged or unprivileged source port.
     *
     * @param port the vsock port
     * @param privileged whether the source port is below 1024
     * @return the socket file the host listens on for vsock {@code port} from a privileged or unprivileged source port
     */
    public Path socketFile(int port, boolean privileged) {
        return directory.resolve(port + (privileged ? "-privileged.sock" : ".sock"));
    }

    /**
     * Every source port bound successfully so far, in order (ephemeral ones included).
     *
     * @return every source port bound successfully so far, in order (ephemeral ones included)
     */
    public List<Integer> boundPorts() {
        synchronized (state.bound) {
            return List.copyOf(state.bound);
        }
    }

    VsockSocket.Factory factory() {
        return new VsockSocket.Factory() {
            @Override
            public VsockSocket open() throws ErrnoException {
                if (socketError != null) {
                    throw new ErrnoException("socket(AF_VSOCK, SOCK_STREAM)", socketError);
                }
                return new StandInSocket();
            }

            @Override
            public String describe() {
                return "the Unix-socket stand-in in " + directory;
            }
        };
    }

    private final class StandInSocket implements VsockSocket {
        private int port = -1;
        private @Nullable SocketChannel channel;
        private @Nullable Selector selector;
        private @Nullable Selector writeSelector;

        @Override
        public void bind(int cid, int requested) throws ErrnoException {
            String call = "bind(port " + Integer.toUnsignedString(requested) + ")";
            if (port >= 0) {
                throw new ErrnoException(call, VsockErrno.EINVAL);
            }
            int chosen = requested == SockaddrVm.PORT_ANY ? state.nextEphemeral.getAndIncrement() : requested;
            if (chosen < 1024 && !privilegedBindAllowed) {
                throw new ErrnoException(call, VsockErrno.EACCES);
            }
            if (portsInUse.contains(chosen)) {
                throw new ErrnoException(call, VsockErrno.EADDRINUSE);
            }
            port = chosen;
            state.bound.add(chosen);
        }

        @Override
        public void connect(int cid, int destination) throws ErrnoException {
            String call = "connect(port " + destination + ")";
            VsockErrno scripted;
            synchronized (state.connectErrors) {
                scripted = state.connectErrors.poll();
            }
            if (scripted != null) {
                throw new ErrnoException(call, scripted);
            }
            if (port < 0) {
                bind(cid, SockaddrVm.PORT_ANY);   // the kernel auto-binds above 1023
            }
            Path file = socketFile(destination, port < 1024);
            if (!Files.exists(file)) {
                throw new ErrnoException(call, VsockErrno.ECONNRESET);
            }
            try {
                SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    opened.connect(UnixDomainSocketAddress.of(file));
                    opened.configureBlocking(false);
                    Selector reads = Selector.open();
                    opened.register(reads, SelectionKey.OP_READ);
                    channel = opened;
                    selector = reads;
                } catch (IOException e) {
                    opened.close();
                    throw e;
                }
            } catch (ConnectException refused) {
                throw new ErrnoException(call, VsockErrno.ECONNRESET);
            } catch (IOException e) {
                throw new ErrnoException(call + ": " + e.getMessage(), VsockErrno.ECONNRESET);
            }
        }

        @Override
        public int read(ByteBuffer target, int timeoutMillis) throws ErrnoException {
            SocketChannel connected = requireConnected("read");
            Selector reads = Objects.requireNonNull(selector);
            try {
                int count = connected.read(target);
                if (count != 0) {
                    return count;
                }
                reads.selectedKeys().clear();
                if (reads.select(Math.max(1, timeoutMillis)) == 0) {
                    return 0;
                }
                return connected.read(target);
            } catch (IOException e) {
                throw new ErrnoException("read: " + e.getMessage(), VsockErrno.ECONNRESET);
            }
        }

        @Override
        public void write(ByteBuffer source) throws ErrnoException {
            SocketChannel connected = requireConnected("write");
            try {
                while (source.hasRemaining()) {
                    if (connected.write(source) == 0) {
                        Selector writes = writeSelector(connected);
                        writes.selectedKeys().clear();
                        writes.select(1000);
                    }
                }
            } catch (IOException e) {
                throw new ErrnoException("write: " + e.getMessage(), VsockErrno.ECONNRESET);
            }
        }

        /** Made on the first full socket buffer only: opening a selector per write cost more than the write. */
        private Selector writeSelector(SocketChannel connected) throws IOException {
            Selector writes = writeSelector;
            if (writes == null) {
                writes = Selector.open();
                connected.register(writes, SelectionKey.OP_WRITE);
                writeSelector = writes;
            }
            return writes;
        }

        private SocketChannel requireConnected(String call) throws ErrnoException {
            SocketChannel connected = channel;
            if (connected == null || !connected.isOpen()) {
                throw new ErrnoException(call + " on an unconnected socket", VsockErrno.EINVAL);
            }
            return connected;
        }

        @Override
        public void shutdown() {
            SocketChannel connected = channel;
            if (connected != null) {
                try {
                    connected.shutdownInput();
                    connected.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed: nothing to wake
                }
            }
            Selector reads = selector;
            if (reads != null) {
                reads.wakeup();
            }
        }

        @Override
        public void close() {
            Optional.ofNullable(selector).ifPresent(StandInSocket::quietly);
            Optional.ofNullable(writeSelector).ifPresent(StandInSocket::quietly);
            Optional.ofNullable(channel).ifPresent(StandInSocket::quietly);
        }

        private static void quietly(AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing is best effort, as close(2) is
            }
        }
    }
}
