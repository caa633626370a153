package dev.vmwguest.rpc;


import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.MessageCommand;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open GuestRPC channel: whole messages to the host and back.
 *
 * <pre>{@code
 * try (RpcChannel channel = RpcChannel.open(backdoor, RpcProtocol.RPCI)) {
 *     byte[] reply = channel.call("log hello".getBytes(StandardCharsets.US_ASCII));
 * }
 * }</pre>
 *
 * <p><b>Cost.</b> Every backdoor call is a VM exit on real hardware, so the
 * channel makes as few as the protocol allows and stays open across messages.
 * On a host that offers high bandwidth, {@link #send} of n &gt; 0 bytes costs 2
 * calls (size, payload) and of 0 bytes 1 call; {@link #receive} costs 3 calls
 * (size, payload, status) with a message, 2 with an empty one (no payload) and
 * 1 without. A request/reply round trip is therefore 5 calls (4 when the reply
 * is empty), an idle TCLO poll (empty send, nothing to receive) 2. Over the low-bandwidth path, payloads cost one call per 4 bytes: a round
 * trip of an n-byte request and an r-byte reply is 3 + ceil(n/4) + ceil(r/4).
 * Opening and closing cost one call each.
 *
 * <p><b>Failures.</b> A checkpoint on a payload or status step restarts the
 * message, at most {@link RpcChannelOptions#checkpointRetries()} times. Any
 * other failure throws a subclass of {@link RpcException} (or whatever the
 * backdoor throws), and the channel is then dead: closed best-effort, with or
 * without cookies, every later use throws
 * {@link RpcChannelClosedException}; open a new one. A host id is never
 * reused after the host closed it. A CLOSE the host answers with a checkpoint
 * is made again, as often as a message step would be: a slot left open is
 * lost to every process in the VM.
 *
 * <p><b>Threads.</b> Not thread-safe: a channel carries one message at a time.
 * Concurrent use is detected and rejected with {@link IllegalStateException}
 * rather than corrupting the exchange. {@link #close()} is the exception: any
 * thread may call it at any time; if another thread is in the middle of a
 * message, that message finishes and the channel closes right after it. The
 * host has few channels (128, or 8 on hosts before 2022): close every channel
 * you open.
 */
public final class RpcChannel implements RpcConnection {

    private static final int COOKIE_FLAG = MessageCommand.FLAG_COOKIE;
    private static final int NOT_HANDLED = 0xFFFF_FFFF;

    private final RpcProtocol protocol;
    private final RpcChannelOptions options;
    private final MessageExchange exchange;
    private final AtomicBoolean inUse = new AtomicBoolean();
    private final int id;
    private final boolean cookies;
    private volatile boolean dead;
    private volatile boolean closed;
    /** Set by {@link #close()}; carried out by whichever thread holds or next takes {@link #inUse}. */
    private volatile boolean closeRequested;

    private RpcChannel(Backdoor backdoor, RpcProtocol protocol, RpcChannelOptions options, RegisterFrame opened,
            boolean cookies) {
        this.protocol = protocol;
        this.options = options;
        this.id = RegisterFrame.high16(opened.dx());
        this.cookies = cookies;
        // Without cookies, echo what the host returned (open-vm-tools does; hosts ignore it).
        this.exchange = new MessageExchange(backdoor, protocol, options, id, opened.si(), opened.di());
    }

    /**
     * Opens a channel with {@link RpcChannelOptions#defaults()}; see {@link #open(Backdoor, RpcProtocol, RpcChannelOptions)}.
     *
     * @param backdoor the backdoor to make the calls through
     * @param protocol RPCI or TCLO
     * @return the open channel; close it to free the host's slot
     */
    public static RpcChannel open(Backdoor backdoor, RpcProtocol protocol) {
        return open(backdoor, protocol, RpcChannelOptions.defaults());
    }

    /**
     * Opens a channel for {@code protocol}, asking for cookies first and, if
     * the host refuses, once more without them (very old hosts had none).
     * One call, two on the fallback.
     *
     * @param backdoor the backdoor to make the calls through
     * @param protocol RPCI or TCLO
     * @param options size limits, checkpoint retries and high-bandwidth policy
     * @return the open channel; close it to free the host's slot
     * @throws RpcOpenException if the host refuses both, or has no GuestRPC
     */
    public static RpcChannel open(Backdoor backdoor, RpcProtocol protocol, RpcChannelOptions options) {
        Objects.requireNonNull(backdoor, "backdoor");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options");
        RegisterFrame frame = new RegisterFrame();
        callOpen(backdoor, frame, protocol.number() | COOKIE_FLAG);
        if (opened(frame)) {
            return new RpcChannel(backdoor, protocol, options, frame, true);
        }
        if (frame.ax() == NOT_HANDLED && RegisterFrame.high16(frame.cx()) == MessageStep.OPEN.code()) {
            // Registers came back untouched but for ax: nothing implements MESSAGE here.
            throw new RpcOpenException(protocol, 0, true);
        }
        callOpen(backdoor, frame, protocol.number());
        if (opened(frame)) {
            return new RpcChannel(backdoor, protocol, options, frame, false);
        }
        throw new RpcOpenException(protocol, RegisterFrame.high16(frame.cx()), false);
    }

    private static void callOpen(Backdoor backdoor, RegisterFrame frame, int protocolAndFlags) {
        frame.command(BackdoorCommand.MESSAGE)
                .cx(RegisterFrame.halves(MessageStep.OPEN.code(), BackdoorCommand.MESSAGE))
                .bx(protocolAndFlags);
        backdoor.call(frame);
    }

    private static boolean opened(RegisterFrame frame) {
        return MessageStatus.isSuccess(RegisterFrame.high16(frame.cx()));
    }

    /** Sends all of {@code message}; see {@link #send(ByteBuffer)}. */
    @Override
    public void send(byte[] message) {
        Objects.requireNonNull(message, "message");
        checkSendSize(message.length);
        enter(MessageStep.SEND_SIZE);
        try {
            exchange.send(message);
        } catch (Throwable failure) {
            abandon(failure);
            throw failure;
        } finally {
            exit();
        }
    }

    /**
     * Sends the bytes from {@code message}'s position to its limit as one
     * message; the position is left unchanged. Empty messages are legal (a
     * TCLO poll is one).
     *
     * @param message what went wrong, in words for the user
     * @throws RpcMessageTooLargeException over {@link RpcChannelOptions#maxSendSize()}, before any call;
     *         the channel stays usable
     * @throws RpcException if the host fails the message; the channel is then dead
     */
    public void send(ByteBuffer message) {
        Objects.requireNonNull(message, "message");
        checkSendSize(message.remaining());
        enter(MessageStep.SEND_SIZE);
        try {
            exchange.send(message);
        } catch (Throwable failure) {
            abandon(failure);
            throw failure;
        } finally {
            exit();
        }
    }

    /**
     * Fetches the host's pending message, if any, and acknowledges it.
     * Allocates only the returned array.
     *
     * @return empty when the host has nothing for us (or discarded its message: UNSENT)
     * @throws RpcMessageTooLargeException if the host announces more than {@link RpcChannelOptions#maxReceiveSize()};
     *         nothing is allocated, the message is rejected and the channel is dead
     * @throws RpcProtocolException on a wrong type echo; the channel is then dead
     * @throws RpcException if the host fails the message; the channel is then dead
     */
    @Override
    public Optional<byte[]> receive() {
        enter(MessageStep.RECEIVE_SIZE);
        try {
            return Optional.ofNullable(exchange.receive());
        } catch (Throwable failure) {
            abandon(failure);
            throw failure;
        } finally {
            exit();
        }
    }

    /**
     * Sends {@code request} and returns the host's reply: the RPCI pattern.
     * The channel is held from the request to its reply, so another thread's
     * message cannot come in between (it gets {@link IllegalStateException}).
     *
     * @param request the message to send
     * @return the host's reply, as raw bytes
     * @throws RpcProtocolException if the host has no reply ready right after the request
     * @throws RpcException as {@link #send(ByteBuffer)} and {@link #receive()};
     *         {@link RpcException#requestMayBeDelivered()} is false if it came while sending
     */
    @Override
    public byte[] call(byte[] request) {
        Objects.requireNonNull(request, "request");
        try {
            checkSendSize(request.length);
        } catch (RpcMessageTooLargeException tooLarge) {
            throw tooLarge.requestNotDelivered();
        }
        // Held from request to reply: another thread's message in between would make the host drop
        // this reply (or hand it to that thread).
        enter(MessageStep.SEND_SIZE);
        boolean sent = false;
        try {
            exchange.send(request);
            sent = true;
            byte[] reply = exchange.receive();
            if (reply == null) {
                throw new RpcProtocolException("host had no reply ready on " + protocol + " channel " + id
                        + " right after the request; a late reply could be taken for the next one's, so the"
                        + " channel was closed");
            }
            return reply;
        } catch (Throwable failure) {
            abandon(failure);
            if (!sent && failure instanceof RpcException unsent) {
                unsent.requestNotDelivered();
            }
            throw failure;
        } finally {
            exit();
        }
    }

    /**
     * The host's id for this channel.
     *
     * @return the host's id for this channel
     */
    public int id() {
        return id;
    }

    /** {@link TransportKind#BACKDOOR}: a channel is the backdoor transport. */
    @Override
    public TransportKind transport() {
        return TransportKind.BACKDOOR;
    }

    /**
     * The protocol this channel was opened for.
     *
     * @return the protocol this channel was opened for
     */
    public RpcProtocol protocol() {
        return protocol;
    }

    /**
     * Whether the host gave cookies (false only on very old hosts).
     *
     * @return whether the host gave cookies (false only on very old hosts)
     */
    public boolean hasCookies() {
        return cookies;
    }

    /** Whether the channel can still carry messages: not closed, and no failure has killed it. */
    @Override
    public boolean isOpen() {
        return !closed && !dead && !closeRequested;
    }

    /**
     * Closes the channel on the host: one call (more only after checkpoints). Idempotent, and never throws:
     * a host that refuses the close leaves the channel unusable either way, and
     * a request that succeeded must not fail on the way out.
     *
     * <p>Safe from any thread. If another thread is in the middle of a message,
     * this returns at once and the CLOSE is made by that thread when its
     * message ends: interleaved with the message's steps it would share their
     * register frame and break both. New messages are refused from now on.
     */
    @Override
    public void close() {
        closeRequested = true;
        closeIfIdle();
    }

    /** Makes a requested CLOSE if no message is in flight; the thread ending a message calls this too. */
    private void closeIfIdle() {
        if (!closeRequested || !inUse.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!closed) {
                closed = true;
                if (!dead) {
                    exchange.close();
                }
            }
        } catch (RuntimeException refused) {
            // close() never throws: a backdoor that fails here leaves the channel unusable either way.
        } finally {
            inUse.set(false);
        }
    }

    /**
     * Marks the channel dead after any failure inside a message step, and
     * closes it on the host, with or without cookies: open-vm-tools closes a
     * failed channel either way (bdoorChannel.c {@code BkdoorChannelSend} via
     * rpcout.c {@code RpcOut_stop}), and a slot left open is lost to every
     * process in the VM until the host reclaims it.
     */
    private void abandon(Throwable failure) {
        if (dead) {
            return;
        }
        dead = true;
        if (!closed) {
            try {
                exchange.close();
            } catch (RuntimeException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
        }
    }

    private void checkSendSize(int length) {
        if (length > options.maxSendSize()) {
            throw new RpcMessageTooLargeException("message for " + protocol + " channel " + id, length,
                    options.maxSendSize(), "the host refuses messages over 64 KiB; send less");
        }
    }

    private void enter(MessageStep firstStep) {
        if (!inUse.compareAndSet(false, true)) {
            throw new IllegalStateException(protocol + " channel " + id + " is in use by another thread; "
                    + "a channel carries one message at a time (give each thread its own, or lock)");
        }
        if (dead || closed || closeRequested) {
            inUse.set(false);
            throw new RpcChannelClosedException(firstStep, id,
                    closed || closeRequested ? "this channel was closed; open a new one"
                            : "an earlier failure closed this channel; open a new one");
        }
    }

    private void exit() {
        inUse.set(false);
        closeIfIdle();
    }
}
