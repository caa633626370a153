package dev.vmwguest.rpci;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.RpcProtocolException;
import dev.vmwguest.rpc.transport.RpcConnection;
import dev.vmwguest.rpc.transport.TransportKind;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Sends RPCI commands to the host and returns its replies.
 *
 * <pre>{@code
 * try (RpciClient rpci = RpciClient.open()) {
 *     rpci.guestInfo().set("ip", "10.0.0.5");
 *     RpciReply reply = rpci.send("info-get guestinfo.ip");
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Thread-safe. Each command takes a channel for its whole
 * exchange, so messages of different threads never interleave. The client
 * holds at most {@link RpciOptions#maxChannels()} channels (default 1, i.e.
 * one channel under a lock) and keeps them open across calls: a command then
 * costs exactly one round trip, 5 backdoor calls with high bandwidth.
 *
 * <p><b>Recovery.</b> When a channel fails (host close, host reset after
 * resume or vMotion, checkpoints beyond the channel's bound) the client opens
 * a new one and sends the command once more, if that is safe: always when the
 * host never received the command (the failure came while sending it), and
 * otherwise only for commands whose repetition is harmless
 * ({@link RpciCommands#isIdempotent(String)}: {@code info-get},
 * {@code info-set}, {@code tools.capability.*}, ...). A {@code log} line or a
 * power-operation status the host may already have taken is never sent twice;
 * its failure is thrown. Errors are the rpc layer's typed exceptions; failure
 * replies are {@link RpciReply} values from {@link #send} or
 * {@link RpciException}s from {@link #call}.
 *
 * <p><b>Transports.</b> {@link #open()} and {@link #open(RpciOptions)} apply
 * the {@link RpciOptions#transport() transport policy} (default: privileged
 * vsock, unprivileged vsock, backdoor; see
 * {@link dev.vmwguest.rpc.transport.TransportPolicy});
 * {@link #transportSelection()} says which transport the latest connection
 * uses and why the others were passed over. A client opened on a given
 * {@link Backdoor} uses exactly that backdoor. After a fallback from vsock,
 * the next command past the back-off (4 s, doubling to 300 s) closes the
 * fallback connection and tries vsock again, as vmtoolsd does.
 *
 * <p>Command arguments are never logged or put in exception messages:
 * guestinfo values often carry credentials.
 */
public final class RpciClient implements AutoCloseable {

    private final TransportSelector transports;
    private final RpciOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition channelReturned = lock.newCondition();
    private final ArrayDeque<RpcConnection> idle = new ArrayDeque<>();
    private int channels;
    private boolean closed;
    private volatile @Nullable TransportKind lastTransport;

    private RpciClient(TransportSelector transports, RpciOptions options) {
        this.transports = transports;
        this.options = options;
    }

    /**
     * A client with {@link RpciOptions#defaults()}; see {@link #open(RpciOptions)}.
     *
     * @return a client with {@link RpciOptions#defaults()}
     * @throws dev.vmwguest.rpc.transport.TransportUnavailableException if no transport works here; its
     *         selection says why each was refused
     * @throws dev.vmwguest.rpc.RpcOpenException if the host opens no backdoor channel
     */
    public static RpciClient open() {
        return open(RpciOptions.defaults());
    }

    /**
     * A client on the first transport of {@code options.transport()} that
     * works in this process, the backdoor coming from {@link Backdoors#open()}
     * only if the policy reaches it ({@link TransportSelector#forThisProcess}).
     *
     * @param options channel count, channel options and the transport policy
     * @return a client on the first transport of {@code options.transport()} that works in this process, the backdoor coming from {@link Backdoors#open()} only if the policy reaches it ({@link TransportSelector#forThisProcess})
     * @throws dev.vmwguest.rpc.transport.PrivilegedTransportUnavailableException if the policy requires
     *         privilege and no privileged vsock connection could be made; nothing was sent
     * @throws dev.vmwguest.rpc.transport.TransportUnavailableException if no transport works here
     * @throws dev.vmwguest.rpc.RpcOpenException if the host opens no backdoor channel
     */
    public static RpciClient open(RpciOptions options) {
        return open(TransportSelector.forThisProcess(options.transport()), options);
    }

    /**
     * A client opening its connections through {@code transports}: any
     * policy, any providers (the vsock stand-in and the simulated host in
     * tests). {@code options.transport()} is not consulted: the selector has
     * its own policy.
     *
     * @param transports the selector that opens the connections
     * @param options channel count and channel options
     * @return a client opening its connections through {@code transports}
     * @throws dev.vmwguest.rpc.transport.TransportUnavailableException as {@link #open(RpciOptions)}
     */
    public static RpciClient open(TransportSelector transports, RpciOptions options) {
        RpciClient client = new RpciClient(Objects.requireNonNull(transports, "transports"),
                Objects.requireNonNull(options, "options"));
        client.idle.push(client.openChannel());
        client.channels = 1;
        return client;
    }

    /**
     * A client on {@code backdoor} with {@link RpciOptions#defaults()}; see {@link #open(Backdoor, RpciOptions)}.
     *
     * @param backdoor the backdoor to make the calls through
     * @return a client on {@code backdoor} with {@link RpciOptions#defaults()}
     */
    public static RpciClient open(Backdoor backdoor) {
        return open(backdoor, RpciOptions.defaults());
    }

    /**
     * A client on exactly {@code backdoor}, whatever the transport policy
     * says. Opens its first channel at once, so that a host without GuestRPC
     * fails here rather than at the first command.
     *
     * @param backdoor the backdoor to make the calls through
     * @param options channel count and channel options; the transport policy is not consulted
     * @return a client on exactly {@code backdoor}, whatever the transport policy says
     * @throws dev.vmwguest.rpc.RpcOpenException if the host opens no channel
     */
    public static RpciClient open(Backdoor backdoor, RpciOptions options) {
        return open(TransportSelector.backdoorOnly(Objects.requireNonNull(backdoor, "backdoor")), options);
    }

    /**
     * Sends {@code command} as UTF-8 and returns the reply, success or failure.
     *
     * @param command the command and its arguments, such as {@code info-get guestinfo.ip}
     * @return the host's reply, success or failure
     */
    public RpciReply send(String command) {
        return sendBytes(command.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code request} as is (binary payloads may hold NULs) and returns the reply.
     *
     * @param request the command bytes, sent unchanged
     * @return the host's reply, success or failure
     * @throws dev.vmwguest.rpc.RpcMessageTooLargeException if the request exceeds the channel's send limit
     * @throws RpcProtocolException if the host's reply is malformed or missing
     * @throws RpcException if the channel fails and the documented retry fails too, or is not safe
     */
    public RpciReply sendBytes(byte[] request) {
        Objects.requireNonNull(request, "request");
        try {
            return RpciReply.parse(exchange(request, false));
        } catch (FailedExchange first) {
            if (!first.safeToRetry) {
                throw first.failure;
            }
            try {
                // On a new channel: after a host reset every pooled channel is as dead as the first one.
                return RpciReply.parse(exchange(request, true));
            } catch (FailedExchange second) {
                second.failure.addSuppressed(first.failure);
                throw second.failure;
            }
        }
    }

    /**
     * Sends {@code command} and returns the text of a successful reply.
     *
     * @param command the command and its arguments
     * @return the reply's text after the {@code "1 "} prefix
     * @throws RpciPermissionDeniedException if VM policy restricts the command
     * @throws RpciException on any other failure reply, carrying the host's reason
     */
    public String call(String command) {
        return requireSuccess(RpciCommands.commandName(command.getBytes(StandardCharsets.UTF_8)), send(command))
                .text();
    }

    /**
     * The guest variables ({@code guestinfo.*}) of this VM.
     *
     * @return the guest variables ({@code guestinfo.*}) of this VM
     */
    public GuestInfo guestInfo() {
        return new GuestInfo(this);
    }

    /**
     * The commands a guest-tools implementation sends: version, capabilities, power-operation status.
     *
     * @return the commands a guest-tools implementation sends
     */
    public ToolsCommands tools() {
        return new ToolsCommands(this);
    }

    /**
     * Writes one line to the VM's {@code vmware.log}. Never resent after a
     * failure that may have delivered it (that would log the line twice).
     *
     * @param text the line to log
     * @throws RpciException if the host refuses it
     * @throws IllegalArgumentException if {@code text} holds a NUL (checked before anything is sent)
     */
    public void log(String text) {
        requireSuccess("log", sendBytes(RpciCommands.log(text)));
    }

    /** Closes every channel. Idempotent; channels in use close when their command ends. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            idle.forEach(RpcConnection::close);
            channels -= idle.size();
            idle.clear();
            channelReturned.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The options this client was opened with.
     *
     * @return the options this client was opened with
     */
    public RpciOptions options() {
        return options;
    }

    /**
     * Which transport this client's latest connection uses and why the
     * transports before it in the policy were passed over; empty only for a
     * client that never opened a connection.
     *
     * @return which transport this client's latest connection uses and why the transports before it in the policy were passed over
     */
    public Optional<TransportSelection> transportSelection() {
        return transports.lastSelection();
    }

    RpciReply requireSuccess(String command, RpciReply reply) {
        if (reply.success()) {
            return reply;
        }
        String reason = new String(reply.bytes(), StandardCharsets.UTF_8);
        if (reason.trim().equalsIgnoreCase(RpciPermissionDeniedException.PERMISSION_DENIED)) {
            throw new RpciPermissionDeniedException(command, reason, Optional.ofNullable(lastTransport));
        }
        throw new RpciException(command, reason);
    }

    /**
     * One exchange on a pooled channel. A failure comes back wrapped with
     * whether a second attempt is safe: the channel failed in a way a new one
     * may not (retryable), and the host either never got the command or may
     * safely get it twice. {@code fresh}: on a newly opened channel, never a pooled one.
     */
    private byte[] exchange(byte[] request, boolean fresh) {
        RpcConnection channel = acquire(fresh);
        lastTransport = channel.transport();
        boolean delivered = false;
        try {
            channel.send(request);
            delivered = true;
            Optional<byte[]> reply = channel.receive();
            if (reply.isEmpty()) {
                channel.close();   // a late reply must not be taken for the next command's
                throw new RpcProtocolException("host had no reply ready for RPCI command '"
                        + RpciCommands.commandName(request) + "'");
            }
            return reply.get();
        } catch (RpcException failure) {
            boolean harmless = !delivered || RpciCommands.isIdempotent(RpciCommands.commandName(request));
            throw new FailedExchange(failure, harmless && failure.isRetryable());
        } finally {
            release(channel);
        }
    }

    /** Carries a failure from {@link #exchange} to {@link #sendBytes}; never escapes this class. */
    private static final class FailedExchange extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RpcException failure;
        private final boolean safeToRetry;

        FailedExchange(RpcException failure, boolean safeToRetry) {
            super(null, null, false, false);
            this.failure = failure;
            this.safeToRetry = safeToRetry;
        }
    }

    /**
     * A channel for one exchange: a pooled one, or a newly opened one when
     * {@code fresh} (then, at the bound, the least recently used pooled
     * channel is closed to make room; it may be dead too).
     */
    private RpcConnection acquire(boolean fresh) {
        RpcConnection replaced = null;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("RpciClient is closed");
                }
                RpcConnection channel = fresh ? null : idle.poll();
                if (channel != null && transports.retryDue(channel.transport())) {
                    replaced = channel;   // a fallback connection whose back-off ran out: try vsock again
                    break;
                }
                if (channel != null) {
                    return channel;
                }
                if (channels < options.maxChannels()) {
                    channels++;
                    break;
                }
                replaced = fresh ? idle.pollLast() : null;
                if (replaced != null) {
                    break;   // the new channel takes its place in the count
                }
                channelReturned.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        if (replaced != null) {
            replaced.close();
        }
        try {
            return openChannel();
        } catch (RuntimeException refused) {
            lock.lock();
            try {
                channels--;
                channelReturned.signal();
            } finally {
                lock.unlock();
            }
            throw refused;
        }
    }

    private void release(RpcConnection channel) {
        lock.lock();
        try {
            if (channel.isOpen() && !closed) {
                idle.push(channel);
            } else {
                channel.close();
                channels--;
            }
            channelReturned.signal();
        } finally {
            lock.unlock();
        }
    }

    private RpcConnection openChannel() {
        return transports.open(RpcProtocol.RPCI, options.channelOptions());
    }
}
