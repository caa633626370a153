package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.MessageCommand;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The MESSAGE command (30): the channel table and each channel's state machine,
 * for low-bandwidth calls and both high-bandwidth transfers
 * (shared/protocol/host-behaviour.md sections 2 and 3, guestrpc-channel.md).
 *
 * <p>Only the fields the protocol defines are read: sub-command = {@code cx}
 * bits 31..16, channel = {@code dx} bits 31..16 (ignored on OPEN), cookies and
 * sizes = whole 32-bit registers; real clients leave garbage everywhere else
 * (observed-clients.md). Violations are answered with status 0 and counted,
 * never thrown.
 *
 * <p>Locking: opens allocate under the table monitor; every other call locks
 * only its channel; slots are freed lock-free. Lock order: table, channel, TCLO
 * queue.
 */
final class MessageEngine {

    static final int SUCCESS = MessageCommand.STATUS_SUCCESS;
    static final int DORECV = MessageCommand.STATUS_DORECV;
    static final int CLOSED = MessageCommand.STATUS_CLOSED;
    static final int CPT = MessageCommand.STATUS_CHECKPOINT;
    static final int HB = MessageCommand.STATUS_HIGH_BANDWIDTH;

    static final int RPCI = MessageCommand.PROTOCOL_RPCI;
    static final int TCLO = MessageCommand.PROTOCOL_TCLO;
    static final int COOKIE_FLAG = MessageCommand.FLAG_COOKIE;

    private static final int ECHO_SEND_SIZE = MessageCommand.SEND_SIZE << 16;
    private static final int ECHO_SEND_PAYLOAD = MessageCommand.SEND_PAYLOAD << 16;
    private static final int HB_SUCCESS = SUCCESS << 16;

    private final ChannelRules config;
    private final CallCounters counters;
    private final Faults faults;
    private final TcloQueue tclo;
    private final RpciEngine rpci;
    private final IntSupplier random;
    private final AtomicReferenceArray<Channel> slots;
    private final Object table = new Object();

    MessageEngine(ChannelRules config, CallCounters counters, Faults faults, TcloQueue tclo, RpciEngine rpci,
            IntSupplier random) {
        this.config = config;
        this.counters = counters;
        this.faults = faults;
        this.tclo = tclo;
        this.rpci = rpci;
        this.random = random;
        this.slots = new AtomicReferenceArray<>(config.channelLimit());
    }

    int openChannels() {
        int open = 0;
        for (int i = 0; i < slots.length(); i++) {
            open += slots.get(i) != null ? 1 : 0;
        }
        return open;
    }

    /** Host-side close of every channel (a host reset); partial and queued messages are lost. */
    void closeAll() {
        synchronized (table) {
            for (int i = 0; i < slots.length(); i++) {
                Channel channel = slots.get(i);
                if (channel != null) {
                    synchronized (channel) {
                        kill(channel);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- low bandwidth

    void call(RegisterFrame f) {
        MessageType type = MessageType.byCode(RegisterFrame.high16(f.cx()));
        if (type == null) {
            counters.violation();
            answer(f, 0);
            return;
        }
        counters.message(type);
        stall(type);
        if (type == MessageType.OPEN) {
            open(f);
            return;
        }
        int id = RegisterFrame.high16(f.dx());
        Channel channel = id < slots.length() ? slots.get(id) : null;
        if (channel == null) {
            dead(f);
            return;
        }
        synchronized (channel) {
            if (!channel.alive || !channel.accepts(f.si(), f.di())) {
                dead(f);
                return;
            }
            if (faults.armed() && fault(channel, type, f)) {
                return;
            }
            switch (type) {
                case SEND_SIZE -> sendSize(channel, f);
                case SEND_PAYLOAD -> sendPayload(channel, f);
                case RECEIVE_SIZE -> receiveSize(channel, f);
                case RECEIVE_PAYLOAD -> receivePayload(channel, f);
                case RECEIVE_STATUS -> receiveStatus(channel, f);
                case CLOSE -> {
                    kill(channel);
                    counters.closed();
                    answer(f, SUCCESS);
                }
                default -> throw new AssertionError(type);
            }
        }
    }

    private void open(RegisterFrame f) {
        int protocol = f.bx() & ~COOKIE_FLAG;
        boolean flagged = (f.bx() & COOKIE_FLAG) != 0;
        boolean refused = (protocol != RPCI && protocol != TCLO)
                || (flagged && config.cookies() == CookieMode.UNSUPPORTED)
                || (!flagged && config.cookies() == CookieMode.REQUIRED)
                || faults.refusingOpens();
        Channel channel = null;
        if (!refused) {
            int high = 0;
            int low = 0;
            if (flagged) {
                do {
                    high = random.getAsInt();
                    low = random.getAsInt();
                } while (high == 0 && low == 0);
            }
            synchronized (table) {
                for (int id = 0; id < slots.length() && channel == null; id++) {
                    if (slots.get(id) == null) {
                        channel = new Channel(id, protocol == TCLO, flagged, high, low,
                                protocol == TCLO ? tclo.attach(id) : null);
                        slots.set(id, channel);
                    }
                }
            }
        }
        if (channel == null) {
            // Refused, or the table is full: status without SUCCESS (host-behaviour.md section 2).
            answer(f, 0);
            return;
        }
        counters.opened();
        answer(f, SUCCESS);
        f.dx(channel.id << 16);
        if (channel.cookies) {
            f.si(channel.cookieHigh).di(channel.cookieLow);
        }
    }

    private void sendSize(Channel c, RegisterFrame f) {
        long n = Integer.toUnsignedLong(f.bx());
        if (n > config.maxGuestMessage()) {
            counters.violation();
            answer(f, 0);
            return;
        }
        // From IDLE, from SENDING (a restart after CPT) or from RECEIVING (the fetch is
        // abandoned, the host message stays queued): all accepted.
        c.startSending((int) n);
        if (n == 0) {
            complete(c);
        }
        answer(f, SUCCESS | hbBit());
    }

    private void sendPayload(Channel c, RegisterFrame f) {
        if (c.state != Channel.SENDING || c.received >= c.expected) {
            violation(f);
            return;
        }
        int word = f.bx();
        int take = Math.min(4, c.expected - c.received);
        for (int k = 0; k < take; k++) {
            c.incoming[c.received++] = (byte) (word >>> (8 * k));
        }
        counters.toHost(take);
        if (c.received == c.expected) {
            complete(c);
        }
        answer(f, SUCCESS);
    }

    private void receiveSize(Channel c, RegisterFrame f) {
        if (c.state == Channel.SENDING) {
            violation(f);
            return;
        }
        TcloQueue.Session session = c.session;
        if (session != null) {
            if (tclo.closePending(session)) {
                // The duplicate of an attached app name: the channel error it sees once per restart.
                kill(c);
                dead(f);
                return;
            }
            if (c.outgoing == null) {
                TcloQueue.Command command = tclo.next(session);
                if (command != null) {
                    c.outgoing = command.bytes();
                    c.offered = command;
                }
            }
        }
        byte[] message = c.outgoing;
        if (message == null) {
            c.state = Channel.IDLE;
            answer(f, SUCCESS);
            f.bx(0);
            return;
        }
        long announced = faults.armed() ? faults.takeAnnouncedLength() : -1;
        c.announced = announced >= 0 ? announced : message.length;
        c.given = 0;
        c.state = Channel.RECEIVING;
        answer(f, SUCCESS | DORECV | hbBit());
        f.bx((int) c.announced);
        f.dx(faults.armed() && faults.takeWrongEcho() ? 0 : ECHO_SEND_SIZE);
    }

    private void receivePayload(Channel c, RegisterFrame f) {
        if (c.state != Channel.RECEIVING) {
            violation(f);
            return;
        }
        if ((f.bx() & SUCCESS) == 0) {
            // The guest's error-ack (guestrpc-channel.md section 4.8): drop the message.
            drop(c);
            answer(f, SUCCESS);
            return;
        }
        byte[] message = c.outgoing;
        long limit = Math.min(c.announced, message == null ? 0 : message.length);
        if (message == null || c.given >= limit) {
            violation(f);
            return;
        }
        int take = (int) Math.min(4, limit - c.given);
        int word = 0;
        for (int k = 0; k < take; k++) {
            word |= (message[c.given++] & 0xFF) << (8 * k);
        }
        counters.toGuest(take);
        answer(f, SUCCESS);
        f.bx(word);
        f.dx(faults.armed() && faults.takeWrongEcho() ? 0 : ECHO_SEND_PAYLOAD);
    }

    private void receiveStatus(Channel c, RegisterFrame f) {
        if (c.state != Channel.RECEIVING) {
            violation(f);
            return;
        }
        if ((f.bx() & SUCCESS) == 0) {
            drop(c);
            answer(f, SUCCESS);
            return;
        }
        if (c.given < c.outgoingLength() || c.announced != c.outgoingLength()) {
            violation(f);
            return;
        }
        TcloQueue.Command command = c.offered;
        c.outgoing = null;
        c.offered = null;
        c.state = Channel.IDLE;
        if (command != null && c.session != null) {
            tclo.delivered(c.session, command);
        }
        answer(f, SUCCESS);
    }

    // ---------------------------------------------------------------- high bandwidth

    /** {@code rep outsb}: {@code bx} = status | HB command, cookie high in {@code bp}, low in {@code di}. */
    int send(RegisterFrame f, ByteBuffer source) {
        Channel c = highBandwidthChannel(f, MessageType.SEND_PAYLOAD);
        if (c == null) {
            return 0;
        }
        synchronized (c) {
            if (!c.alive || !c.accepts(f.bp(), f.di())) {
                return deadHighBandwidth(f);
            }
            int forced = highBandwidthFault(c, MessageType.SEND_PAYLOAD, f);
            if (forced >= 0) {
                return 0;
            }
            int n = source.remaining();
            if (c.state != Channel.SENDING || c.received != 0 || n != c.expected) {
                counters.violation();
                f.bx(0);
                return 0;
            }
            source.get(source.position(), c.incoming, 0, n);
            c.received = n;
            counters.toHost(n);
            complete(c);
            f.bx(HB_SUCCESS);
            return n;
        }
    }

    /** {@code rep insb}: cookie high in {@code si}, low in {@code bp}. */
    int receive(RegisterFrame f, ByteBuffer target) {
        Channel c = highBandwidthChannel(f, MessageType.RECEIVE_PAYLOAD);
        if (c == null) {
            return 0;
        }
        synchronized (c) {
            if (!c.alive || !c.accepts(f.si(), f.bp())) {
                return deadHighBandwidth(f);
            }
            int forced = highBandwidthFault(c, MessageType.RECEIVE_PAYLOAD, f);
            if (forced >= 0) {
                return 0;
            }
            byte[] message = c.outgoing;
            int n = target.remaining();
            if (c.state != Channel.RECEIVING || message == null || c.given != 0 || n != c.announced
                    || n != message.length) {
                counters.violation();
                f.bx(0);
                return 0;
            }
            target.put(target.position(), message, 0, n);
            c.given = n;
            counters.toGuest(n);
            f.bx(HB_SUCCESS);
            return n;
        }
    }

    private @Nullable Channel highBandwidthChannel(RegisterFrame f, MessageType type) {
        stall(type);
        int id = RegisterFrame.high16(f.dx());
        Channel c = id < slots.length() ? slots.get(id) : null;
        boolean usable = RegisterFrame.low16(f.bx()) == 0 // BDOORHB_CMD_MESSAGE; other HB commands are not ours
                && config.highBandwidth().transfersWork();
        if (c == null || !usable) {
            if (c == null) {
                counters.violation();
            }
            f.bx(c == null && config.reportClosed() ? CLOSED << 16 : 0);
            return null;
        }
        return c;
    }

    /** Applies an armed fault to a high-bandwidth transfer; returns the status answered, or -1 for none. */
    private int highBandwidthFault(Channel c, MessageType type, RegisterFrame f) {
        if (!faults.armed()) {
            return -1;
        }
        if (faults.takeHighBandwidthFailure()) {
            f.bx(0);
            return 0;
        }
        int status = faults.takeStatus(type);
        if (status >= 0) {
            f.bx(status << 16);
            return status;
        }
        if (faults.takeClose(type)) {
            kill(c);
            return deadHighBandwidth(f);
        }
        if (faults.takeCheckpoint(type)) {
            c.checkpoint();
            counters.checkpoint();
            f.bx(CPT << 16);
            return CPT;
        }
        return -1;
    }

    private int deadHighBandwidth(RegisterFrame f) {
        counters.violation();
        f.bx(config.reportClosed() ? CLOSED << 16 : 0);
        return 0;
    }

    // ---------------------------------------------------------------- common

    /** Applies an armed fault to a low-bandwidth call; true when it answered the call. */
    private boolean fault(Channel c, MessageType type, RegisterFrame f) {
        int status = faults.takeStatus(type);
        if (status >= 0) {
            answer(f, status);
            return true;
        }
        if (faults.takeClose(type)) {
            kill(c);
            dead(f);
            return true;
        }
        if (faults.takeCheckpoint(type)) {
            c.checkpoint();
            counters.checkpoint();
            answer(f, CPT);
            return true;
        }
        return false;
    }

    /** A complete guest message: an RPCI request or a TCLO reply/poll. */
    private void complete(Channel c) {
        c.state = Channel.IDLE;
        TcloQueue.Session session = c.session;
        if (session != null) {
            if (c.offered != null) {
                // The guest sent instead of fetching the offered command: it stays queued.
                tclo.unoffer(session, c.offered);
                c.offered = null;
                c.outgoing = null;
            }
            tclo.received(session, c.incoming, c.expected);
            return;
        }
        if (c.outgoing != null) {
            // A new request before the previous reply was read: the old reply is dropped (CHOICE).
            counters.violation();
        }
        c.outgoing = rpci.process(c.incoming, c.expected);
    }

    private void drop(Channel c) {
        TcloQueue.Command command = c.offered;
        if (command != null && c.session != null) {
            tclo.rejected(c.session, command);
        }
        c.outgoing = null;
        c.offered = null;
        c.state = Channel.IDLE;
    }

    /** Frees the slot; later calls with this id or these cookies fail. Caller holds the channel's monitor. */
    private void kill(Channel c) {
        if (!c.alive) {
            return;
        }
        c.alive = false;
        slots.compareAndSet(c.id, c, null);
        if (c.session != null) {
            tclo.detach(c.session, c.offered);
        }
        c.outgoing = null;
        c.offered = null;
    }

    private int hbBit() {
        return config.highBandwidth().offered() && !faults.lowBandwidthOnlyNow() ? HB : 0;
    }

    private void stall(MessageType type) {
        Duration delay = faults.armed() ? faults.takeStall(type) : null;
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void violation(RegisterFrame f) {
        counters.violation();
        answer(f, 0);
    }

    private void dead(RegisterFrame f) {
        counters.violation();
        answer(f, config.reportClosed() ? CLOSED : 0);
    }

    /** {@code cx} = status << 16 with the low half 0 (OpenBSD relies on it); {@code ax} per the configuration. */
    private void answer(RegisterFrame f, int status) {
        f.cx(status << 16);
        if (config.clearAxOnMessage()) {
            f.ax(0);
        }
    }
}
