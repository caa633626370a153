package dev.vmwguest.hostsim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The host side of TCLO: commands the host sends the guest tools, delivered
 * only when the guest polls (shared/protocol/tclo.md, host-behaviour.md
 * section 5).
 *
 * <p>How the host behaves:
 * <ul>
 *   <li>A fresh TCLO channel first gets {@code reset}, offered at the RECEIVE_SIZE after the
 *       guest's first (empty) send. The reply {@code OK ATR <app>} attaches the channel to
 *       {@code <app>}; an unsolicited {@code OK ATR <app>} as a first message (OpenBSD) is
 *       accepted too.</li>
 *   <li>Queued commands are delivered in order, one at a time per channel, to an attached
 *       channel (of the named app for {@link #sendTo}); the next one is offered only at the
 *       RECEIVE_SIZE after the guest's send, never while a reply is owed.</li>
 *   <li>The guest's next message after a delivery is the reply and completes the command's
 *       future. An empty message instead means the guest lost the reply: the future fails with
 *       {@link TcloUnansweredException}. So does a rejected delivery, or a channel closed or reset before
 *       the reply. A command offered but not yet delivered goes back to the queue head.</li>
 *   <li>A second channel attaching an app name in use (or any app while
 *       {@link Faults#appNameTaken} is on) only ever gets {@code reset}, and the host closes it
 *       after each attach attempt.</li>
 * </ul>
 *
 * <p>Over vsock ({@link dev.vmwguest.hostsim.vsock.HostVsockStandIn}, port 975) the same queue is pushed instead:
 * a new connection gets {@code reset} at once and each next command right after
 * the guest's reply to the previous one. Backdoor channels and vsock connections
 * draw from the one queue; a command goes to whichever attached guest is ready first.
 *
 * <p>Futures complete on the guest's thread (or the stand-in's), after the host has
 * released its locks. Thread-safe.
 */
public final class TcloQueue {

    private static final String RESET = "reset";
    private static final String ATTACH = "OK ATR ";

    /** A queued or delivered command. Identity matters: each is delivered at most once. */
    static final class Command {
        private final byte[] bytes;
        private final String text;
        private final @Nullable String app;
        private final boolean hostCommand;
        private final CompletableFuture<String> future = new CompletableFuture<>();
        private @Nullable Exchange exchange;

        Command(byte[] bytes, @Nullable String app, boolean hostCommand) {
            this.bytes = bytes;
            this.text = new String(bytes, StandardCharsets.UTF_8);
            this.app = app;
            this.hostCommand = hostCommand;
        }

        byte[] bytes() {
            return bytes;
        }
    }

    /** One TCLO channel's pairing state. Guarded by the queue's monitor. */
    static final class Session {
        private boolean alive = true;
        private boolean ready;
        private boolean duplicate;
        private boolean closePending;
        private boolean sentSinceDelivery;
        private @Nullable String app;
        private @Nullable Command outstanding;
        private int channel = -1;
    }

    private static final class Exchange {
        final Command command;
        final int channel;
        TcloExchange.Outcome outcome = TcloExchange.Outcome.OUTSTANDING;
        @Nullable String reply;

        Exchange(Command command, int channel) {
            this.command = command;
            this.channel = channel;
        }
    }

    private final ArrayDeque<Command> queue = new ArrayDeque<>();
    private final List<Session> sessions = new ArrayList<>();
    private final List<Exchange> history = new ArrayList<>();
    private final Map<Integer, List<CompletableFuture<Boolean>>> powerOperations = new HashMap<>();
    private final Faults faults;
    private final Consumer<Runnable> afterUnlock;
    private final List<Runnable> enqueueListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    TcloQueue(Faults faults, Consumer<Runnable> afterUnlock) {
        this.faults = faults;
        this.afterUnlock = afterUnlock;
    }

    /**
     * Queues {@code command} for the next attached TCLO channel that polls.
     *
     * @param command the command text, such as {@code "ping"}
     * @return the guest's reply text (e.g. {@code "OK "}, {@code "ERROR Unknown Command"}),
     *         trailing NULs removed; fails with {@link TcloUnansweredException} if the guest never answers
     */
    public CompletableFuture<String> send(String command) {
        return enqueue(new Command(command.getBytes(StandardCharsets.UTF_8), null, false));
    }

    /**
     * As {@link #send}, delivered only to a channel attached as {@code app} (e.g. {@code toolbox-dnd}).
     *
     * @param app the TCLO app name of the channel that gets it
     * @param command the command text
     * @return the guest's reply text, when it answers
     */
    public CompletableFuture<String> sendTo(String app, String command) {
        return enqueue(new Command(command.getBytes(StandardCharsets.UTF_8), app, false));
    }

    /**
     * As {@link #send} with raw bytes: for malformed commands (embedded NULs, binary, 64 KiB of junk).
     *
     * @param command the command bytes, sent as they are
     * @return the guest's reply text, when it answers
     */
    public CompletableFuture<String> sendBytes(byte[] command) {
        return enqueue(new Command(command.clone(), null, false));
    }

    /**
     * Asks the guest for a soft power operation: queues its {@code OS_*} command
     * and completes when the guest reports {@code tools.os.statechange.status}
     * for it over RPCI (true when it reported success). The TCLO reply is not
     * required: for halt and reboot it may never come (tclo.md section 5.2).
     *
     * @param operation the power operation to ask for
     * @return whether the guest reported success, when it reports
     */
    public CompletableFuture<Boolean> powerOperation(GuestPowerOperation operation) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        synchronized (this) {
            powerOperations.computeIfAbsent(operation.stateId(), id -> new ArrayList<>()).add(done);
        }
        send(operation.command());
        return done;
    }

    /**
     * The texts of commands queued and not yet delivered, in delivery order.
     *
     * @return the texts of commands queued and not yet delivered, in delivery order
     */
    public synchronized List<String> pending() {
        return queue.stream().map(c -> c.text).toList();
    }

    /**
     * Every command delivered so far (host {@code reset}s included), oldest first.
     *
     * @return every command delivered so far (host {@code reset}s included), oldest first
     */
    public synchronized List<TcloExchange> history() {
        return history.stream().map(e -> new TcloExchange(e.command.text, e.channel, e.command.hostCommand,
                e.outcome, Optional.ofNullable(e.reply))).toList();
    }

    /**
     * The app names attached on live channels, e.g. {@code [toolbox]}.
     *
     * @return the app names attached on live channels
     */
    public synchronized List<String> attachedApps() {
        TreeSet<String> apps = new TreeSet<>();
        for (Session s : sessions) {
            if (s.app != null && !s.duplicate) {
                apps.add(s.app);
            }
        }
        return List.copyOf(apps);
    }

    /** Drops queued commands (their futures fail) and the history. */
    public void clear() {
        List<Command> dropped;
        synchronized (this) {
            dropped = new ArrayList<>(queue);
            queue.clear();
            history.clear();
        }
        dropped.forEach(c -> c.future.completeExceptionally(new TcloUnansweredException("'" + c.text + "' was cleared")));
    }

    private CompletableFuture<String> enqueue(Command command) {
        synchronized (this) {
            queue.addLast(command);
        }
        enqueueListeners.forEach(Runnable::run);
        return command.future;
    }

    // ---------------------------------------------------------------- called by the vsock stand-in

    /** {@code listener} runs after every queued command: vsock TCLO is push, so the pusher must wake. */
    void addEnqueueListener(Runnable listener) {
        enqueueListeners.add(listener);
    }

    void removeEnqueueListener(Runnable listener) {
        enqueueListeners.remove(listener);
    }

    /**
     * A vsock TCLO connection (transports.md section 1.5): the guest sends nothing
     * before the first command, so unlike a backdoor channel it is ready for
     * {@code reset} at once.
     */
    synchronized Session attachPushed(int channel) {
        Session session = attach(channel);
        session.sentSinceDelivery = true;
        return session;
    }

    // ---------------------------------------------------------------- called by the message engine

    synchronized Session attach(int channel) {
        Session session = new Session();
        session.channel = channel;
        sessions.add(session);
        return session;
    }

    synchronized boolean closePending(Session s) {
        return s.closePending;
    }

    /** The command to offer at this RECEIVE_SIZE, or null. */
    synchronized @Nullable Command next(Session s) {
        if (!s.sentSinceDelivery || s.outstanding != null) {
            return null;
        }
        if (!s.ready || s.duplicate) {
            return new Command(RESET.getBytes(StandardCharsets.US_ASCII), null, true);
        }
        for (Iterator<Command> it = queue.iterator(); it.hasNext(); ) {
            Command command = it.next();
            if (command.app == null || command.app.equals(s.app)) {
                it.remove();
                return command;
            }
        }
        return null;
    }

    synchronized void delivered(Session s, Command command) {
        s.outstanding = command;
        s.sentSinceDelivery = false;
        Exchange exchange = new Exchange(command, s.channel);
        command.exchange = exchange;
        history.add(exchange);
    }

    /** A complete guest message: the reply to the outstanding command, a poll, or an unsolicited attach. */
    synchronized void received(Session s, byte[] bytes, int length) {
        s.sentSinceDelivery = true;
        int end = length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        Command command = s.outstanding;
        if (command == null) {
            if (text.startsWith(ATTACH)) {
                attachApp(s, text);
            }
            return;
        }
        s.outstanding = null;
        Exchange exchange = command.exchange;
        if (length == 0) {
            finish(command, TcloExchange.Outcome.NO_REPLY, null,
                    "the guest sent an empty message instead of its reply to '" + command.text + "'");
            return;
        }
        if (exchange != null) {
            exchange.outcome = TcloExchange.Outcome.ANSWERED;
            exchange.reply = text;
        }
        if (command.text.equals(RESET)) {
            if (text.startsWith(ATTACH)) {
                attachApp(s, text);
            } else if (!s.duplicate) {
                s.ready = true;
            }
        }
        afterUnlock.accept(() -> command.future.complete(text));
    }

    /** The guest sent a message instead of fetching {@code command}: it goes back to the queue head. */
    synchronized void unoffer(Session s, Command command) {
        if (!command.hostCommand) {
            queue.addFirst(command);
        }
    }

    synchronized void rejected(Session s, Command command) {
        if (!command.hostCommand) {
            Exchange exchange = new Exchange(command, s.channel);
            command.exchange = exchange;
            history.add(exchange);
            finish(command, TcloExchange.Outcome.REJECTED, null, "the guest rejected '" + command.text + "'");
        }
    }

    /** The channel died (guest CLOSE, host close, host reset). */
    synchronized void detach(Session s, @Nullable Command offered) {
        s.alive = false;
        sessions.remove(s);
        if (offered != null && !offered.hostCommand) {
            queue.addFirst(offered);
        }
        Command outstanding = s.outstanding;
        s.outstanding = null;
        if (outstanding != null) {
            finish(outstanding, TcloExchange.Outcome.CHANNEL_CLOSED, null, "channel " + s.channel
                    + " closed before the guest answered '" + outstanding.text + "'");
        }
    }

    /** RPCI {@code tools.os.statechange.status <ok> <id>}. */
    synchronized void stateChanged(boolean ok, int stateId) {
        List<CompletableFuture<Boolean>> waiting = powerOperations.remove(stateId);
        if (waiting != null) {
            afterUnlock.accept(() -> waiting.forEach(f -> f.complete(ok)));
        }
    }

    private void attachApp(Session s, String reply) {
        String app = reply.substring(ATTACH.length()).trim();
        boolean taken = faults.appNameTakenNow();
        for (Session other : sessions) {
            taken |= other != s && other.alive && !other.duplicate && app.equals(other.app);
        }
        if (taken) {
            s.duplicate = true;
            s.closePending = true;
        } else {
            s.app = app;
            s.ready = true;
        }
    }

    private void finish(Command command, TcloExchange.Outcome outcome, @Nullable String reply, String why) {
        Exchange exchange = command.exchange;
        if (exchange != null) {
            exchange.outcome = outcome;
            exchange.reply = reply;
        }
        if (!command.hostCommand) {
            afterUnlock.accept(() -> command.future.completeExceptionally(new TcloUnansweredException(why)));
        }
    }
}
