package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
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
 * costs exactly one round trip, 5 backdoor calls with high bandwidth. A
 * command that finds every channel busy waits for one, and so does one whose
 * OPEN the host refuses (its table is shared by every process in the VM)
 * while the client holds channels of its own; only a client holding none gets
 * the {@link dev.vmwguest.rpc.RpcOpenException}. The wait ends on an interrupt
 * ({@link RpciInterruptedException}, interrupt flag kept) and, if
 * {@link RpciOptions#acquireTimeout()} is set, when it runs out
 * ({@link RpciTimeoutException}).
 *
 * <p><b>Recovery.</b> When a channel fails (host close, host reset after
 * resume or vMotion, checkpoints beyond the channel's bound) the client opens
 * a new one and sends the command once more, if that is safe: always when the
 * host never received the command (the failure came while sending it), and
 * otherwise only for commands whose repetition is harmless
 * ({@link RpciRequest#resendable()}: {@code info-get},
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
 * uses and why the others were passed over. Tests pass a
 * {@link TransportSelector} ({@code TransportSelector.over(simulatedHost)}):
 * the same policy, on exactly that backdoor, with no vsock. After a fallback from vsock,
 * the next command past the back-off (4 s, doubling to 300 s) closes the
 * fallback connection and tries vsock again, as vmtoolsd does.
 *
 * <p>Command arguments are never logged or put in exception messages:
 * guestinfo values often carry credentials.
 */
public final class RpciClient implements AutoCloseable {

    private final TransportSelector transports;
    private final RpciOptions options;
    private final ChannelPool pool;
    private volatile @Nullable TransportKind lastTransport;

    private RpciClient(TransportSelector transports, RpciOptions options) {
        this.transports = transports;
        this.options = options;
        this.pool = new ChannelPool(transports, options);
    }

    /**
     * A client with {@link RpciOptions#defaults()}; see {@link #open(RpciOptions)}.
     *
     * @return the client, its first channel open
     * @throws dev.vmwguest.rpc.transport.TransportUnavailableException if no transport works here; its
     *         selection says why each was refused
     * @throws dev.vmwguest.rpc.RpcOpenException if the host opens no backdoor channel
     */
    public static RpciClient open() {
        return open(RpciOptions.defaults());
    }

    /**
     * A client on the first transport of {@code options.transport()} that
     * works in this process, the backdoor coming from {@link dev.vmwguest.backdoor.Backdoors#open()}
     * only if the policy reaches it ({@link TransportSelector#forThisProcess}).
     *
     * @param options the channel bound, channel options, transport policy and acquire timeout
     * @return the client, its first channel open
     * @throws dev.vmwguest.rpc.transport.PrivilegedTransportUnavailableException if the policy requires
     *         privilege and no privileged vsock connection could be made; nothing was sent
     * @throws dev.vmwguest.rpc.transport.TransportUnavailableException if no transport works here
     * @throws dev.vmwguest.rpc.RpcOpenException if the host opens no backdoor channel
     */
    public static RpciClient open(RpciOptions options) {
        return open(TransportSelector.forThisProcess(options.transport()), options);
    }

    /**
     * A client with {@link RpciOptions#defaults()} opening its connections
     * through {@code transports}; see {@link #open(TransportSelector, RpciOptions)}.
     *
     * @param transports where to connect, e.g. {@code TransportSelector.over(simulatedHost)} in tests
     * @return the client, its first channel open
     * @throws dev.vmwguest.rpc.transport.TransportUnavailableException as {@link #open(RpciOptions)}
     * @throws dev.vmwguest.rpc.RpcOpenException if the host opens no backdoor channel
     */
    public static RpciClient open(TransportSelector transports) {
        return open(transports, RpciOptions.defaults());
    }

    /**
     * A client opening its connections through {@code transports}:
     * {@link TransportSelector#forThisProcess()} in production (what
     * {@link #open()} uses), {@link TransportSelector#over(dev.vmwguest.backdoor.Backdoor)}
     * on a simulated host in tests, which keeps the policy's semantics.
     * {@code options.transport()} is not consulted: the selector has its own
     * policy. Opens the first channel at once, so that a host without
     * GuestRPC fails here rather than at the first command.
     *
     * @param transports where to connect
     * @param options    the client's options
     * @return the client, its first channel open
     * @throws dev.vmwguest.rpc.RpcOpenException if the host opens no backdoor channel
     * @throws dev.vmwguest.rpc.transport.TransportUnavailableException as {@link #open(RpciOptions)}
     */
    public static RpciClient open(TransportSelector transports, RpciOptions options) {
        RpciClient client = new RpciClient(Objects.requireNonNull(transports, "transports"),
                Objects.requireNonNull(options, "options"));
        client.pool.openFirst();
        return client;
    }

    /**
     * Sends {@code command} as UTF-8 and returns the reply, success or failure:
     * {@link RpciRequest.Raw#of(String)}, resent after a failure that may have
     * delivered it only if its command name is one of the resendable ones.
     *
     * @throws NullPointerException if {@code command} is null
     * @throws IllegalArgumentException if {@code command} has an unpaired surrogate (no UTF-8 form), naming
     *         its index; nothing is sent
     * @throws RpcException as {@link #send(RpciRequest)}
     * @param command the whole command, e.g. {@code info-get guestinfo.ip}
     * @return the host's reply
     */
    public RpciReply send(String command) {
        // As RpciRequest.Raw.of(command), without the copies a record needs: this is the hot path.
        byte[] request = WireText.utf8(command, "command");
        return send(request, RpciCommands.isIdempotentRequest(request));
    }

    /**
     * Sends {@code request} as is (binary payloads may hold NULs) and returns
     * the reply: {@link RpciRequest.Raw#of(byte[])}.
     *
     * @throws NullPointerException if {@code request} is null
     * @throws RpcException as {@link #send(RpciRequest)}
     * @param request the request bytes
     * @return the host's reply
     */
    public RpciReply sendBytes(byte[] request) {
        Objects.requireNonNull(request, "request");
        return send(request, RpciCommands.isIdempotentRequest(request));
    }

    /**
     * Sends {@code request} and returns the reply, success or failure. After
     * a channel failure the command is sent once more on a new channel if the
     * host never had it, or if {@link RpciRequest#resendable()}.
     *
     * @throws dev.vmwguest.rpc.RpcMessageTooLargeException if the request exceeds the channel's send limit
     * @throws dev.vmwguest.rpc.RpcProtocolException if the host's reply is malformed or missing
     * @throws RpcException if the channel fails and the documented retry fails too, or is not safe
     * @throws RpciInterruptedException if interrupted while waiting for a channel (nothing was sent)
     * @throws RpciTimeoutException if no channel came free within {@link RpciOptions#acquireTimeout()}
     * @throws NullPointerException if {@code request} is null
     * @param request the request
     * @return the host's reply
     */
    public RpciReply send(RpciRequest request) {
        Objects.requireNonNull(request, "request");
        return send(wire(request), request.resendable());
    }

    private RpciReply send(byte[] encoded, boolean resendable) {
        try {
            return RpciReply.parse(exchange(encoded, resendable, false));
        } catch (FailedExchange first) {
            if (!first.safeToRetry) {
                throw first.failure;
            }
            try {
                // On a new channel: after a host reset every pooled channel is as dead as the first one.
                return RpciReply.parse(exchange(encoded, resendable, true));
            } catch (FailedExchange second) {
                second.failure.addSuppressed(first.failure);
                throw second.failure;
            } catch (RpcException noChannel) {
                noChannel.addSuppressed(first.failure);
                throw noChannel;
            }
        }
    }

    /**
     * Sends {@code request} and returns the text of a successful reply.
     *
     * @throws RpciPermissionDeniedException if VM policy restricts the command
     * @throws RpciException on any other failure reply, naming the command (and the key of
     *         {@code info-get}/{@code info-set}), never other arguments
     * @throws RpcException as {@link #send(RpciRequest)}
     * @throws NullPointerException if {@code request} is null
     * @param request the request
     * @return the reply's text
     */
    public String call(RpciRequest request) {
        Objects.requireNonNull(request, "request");
        byte[] encoded = wire(request);
        return requireSuccess(encoded, send(encoded, request.resendable())).text();
    }

    private static byte[] wire(RpciRequest request) {
        return request instanceof RpciRequest.Raw raw ? raw.wire() : request.encode();
    }

    /**
     * Sends {@code command} and returns the text of a successful reply.
     *
     * @throws RpciPermissionDeniedException if VM policy restricts the command
     * @throws RpciException on any other failure reply, carrying the host's reason and naming the
     *         command (and the key of {@code info-get}/{@code info-set}), never other arguments
     * @throws IllegalArgumentException if {@code command} has an unpaired surrogate, naming its index
     * @throws NullPointerException if {@code command} is null
     * @param command the whole command
     * @return the reply's text
     */
    public String call(String command) {
        return call(RpciRequest.Raw.of(command));
    }

    /**
     * The guest variables ({@code guestinfo.*}) of this VM.
     *
     * @return a view that sends its commands through this client
     */
    public GuestInfo guestInfo() {
        return new GuestInfo(this);
    }

    /**
     * The commands a guest-tools implementation sends: version, capabilities, power-operation status.
     *
     * @return a view that sends its commands through this client
     */
    public ToolsCommands tools() {
        return new ToolsCommands(this);
    }

    /**
     * Writes one line to the VM's {@code vmware.log}. Never resent after a
     * failure that may have delivered it (that would log the line twice).
     *
     * @throws RpciException if the host refuses it
     * @throws IllegalArgumentException if {@code text} holds a NUL or an unpaired surrogate, naming its
     *         index (checked before anything is sent)
     * @throws NullPointerException if {@code text} is null
     * @param text the line
     */
    public void log(String text) {
        call(new RpciRequest.Log(text));
    }

    /**
     * Closes every channel. Idempotent; channels in use close when their
     * command ends, and commands waiting for a channel fail with
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * The options this client was opened with.
     *
     * @return the options
     */
    public RpciOptions options() {
        return options;
    }

    /**
     * Which transport this client's latest connection uses and why the
     * transports before it in the policy were passed over; empty only for a
     * client that never opened a connection.
     *
     * @return the latest selection, or empty
     */
    public Optional<TransportSelection> transportSelection() {
        return transports.lastSelection();
    }

    /** {@code reply} if it is a success, else the failure for {@code sent} (its name and key, never its value). */
    RpciReply requireSuccess(RpciRequest sent, RpciReply reply) {
        return reply.success() ? reply : requireSuccess(wire(sent), reply);
    }

    /** {@code reply} if it is a success, else the failure for {@code request} (its name and key, never its value). */
    private RpciReply requireSuccess(byte[] request, RpciReply reply) {
        if (reply.success()) {
            return reply;
        }
        String command = RpciCommands.commandName(request);
        @Nullable String key = RpciCommands.keyOf(request);
        String reason = new String(reply.bytes(), StandardCharsets.UTF_8);
        if (reason.trim().equalsIgnoreCase(RpciPermissionDeniedException.PERMISSION_DENIED)) {
            throw new RpciPermissionDeniedException(command, key, reason, Optional.ofNullable(lastTransport));
        }
        throw new RpciException(command, key, reason);
    }

    /**
     * One exchange on a pooled channel. A failure comes back wrapped with
     * whether a second attempt is safe: the channel failed in a way a new one
     * may not (retryable), and the host either never got the command or may
     * safely get it twice. {@code fresh}: on a newly opened channel, never a pooled one.
     */
    private byte[] exchange(byte[] request, boolean resendable, boolean fresh) {
        RpcConnection channel = pool.acquire(fresh, request);
        lastTransport = channel.transport();
        try {
            return channel.call(request);
        } catch (RpcException failure) {
            boolean harmless = !failure.requestMayBeDelivered() || resendable;
            throw new FailedExchange(failure, harmless && failure.isRetryable());
        } finally {
            pool.release(channel);
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
}
