package dev.vmwguest.hostsim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Faults a test arms on the simulated host, each modelling a real-world event
 * (shared/protocol/host-behaviour.md sections 6 and 7).
 *
 * <p>Every fault that changes answers is one-shot or counted, so a test cannot
 * hang a guest that retries; the toggles ({@link #refuseOpens}, {@link
 * #lowBandwidthOnly}, {@link #appNameTaken}) make calls fail or take another
 * path, never block. A fault "of a type" fires on the next call of that
 * MESSAGE sub-command on any channel; {@link MessageType#SEND_PAYLOAD} and
 * {@link MessageType#RECEIVE_PAYLOAD} include the high-bandwidth transfers.
 * {@link #pending()} lists what has not fired yet. Thread-safe.
 */
public final class Faults {

    private static final int TYPES = MessageType.values().length;
    private static final long NONE = Long.MIN_VALUE;

    private final AtomicIntegerArray checkpoints = new AtomicIntegerArray(TYPES);
    private final AtomicIntegerArray closes = new AtomicIntegerArray(TYPES);
    private final AtomicIntegerArray statuses = new AtomicIntegerArray(TYPES);
    private final AtomicReferenceArray<Duration> stalls = new AtomicReferenceArray<>(TYPES);
    private final AtomicLong announcedLength = new AtomicLong(NONE);
    private final AtomicInteger invalidUtf8 = new AtomicInteger();
    private final AtomicInteger highBandwidthFailures = new AtomicInteger();
    private final AtomicInteger wrongEchoes = new AtomicInteger();
    private final AtomicInteger missingReplies = new AtomicInteger();
    private volatile boolean refuseOpens;
    private volatile boolean lowBandwidthOnly;
    private volatile boolean appNameTaken;
    /** Fast path: false until something is armed, so an unfaulted host checks one volatile per call. */
    private volatile boolean armed;

    Faults() {
    }

    /**
     * Answers the next call of {@code type} with the checkpoint status (CPT,
     * {@code 0x0010}, no SUCCESS). Models a snapshot, suspend or vMotion
     * happening in the middle of a message: the message in flight restarts
     * (a partial send is dropped; a message being fetched is offered again from
     * byte 0), queued messages and the channel survive.
     *
     * @param type the MESSAGE sub-command whose next call is hit
     * @return these faults, for chaining
     */
    public Faults checkpointOnce(MessageType type) {
        return checkpoint(type, 1);
    }

    /**
     * As {@link #checkpointOnce}, for the next {@code times} calls of {@code type} (a host that keeps checkpointing).
     *
     * @param type the MESSAGE sub-command whose calls are hit
     * @param times how many calls in a row are answered with the checkpoint status
     * @return these faults, for chaining
     */
    public Faults checkpoint(MessageType type, int times) {
        checkpoints.addAndGet(type.ordinal(), positive(times));
        return arm();
    }

    /**
     * Closes the channel from the host side when the next call of {@code type}
     * arrives, and answers that call as for a dead channel. Models the host
     * reclaiming an idle channel, or the VMX dropping it, in the middle of a
     * message.
     *
     * @param type the MESSAGE sub-command whose next call closes the channel
     * @return these faults, for chaining
     */
    public Faults closeChannelOn(MessageType type) {
        closes.incrementAndGet(type.ordinal());
        return arm();
    }

    /**
     * Answers the next call of {@code type} with exactly {@code status} (for
     * example UNSENT {@code 0x0008}, TIMEOUT {@code 0x0040}, POWEROFF {@code 0x0020}),
     * without changing the channel. Models the rarer host status bits
     * (guestrpc-channel.md section 3).
     *
     * @param type the MESSAGE sub-command whose next call is hit
     * @param status the status word to answer with, as the host would put it in the high half of {@code cx}
     * @return these faults, for chaining
     */
    public Faults statusOnce(MessageType type, int status) {
        statuses.set(type.ordinal(), status | 0x1_0000);
        return arm();
    }

    /**
     * While true, every OPEN fails: the host's channel table is full, or GuestRPC is disabled.
     *
     * @param refuse true to refuse every OPEN from now on, false to accept them again
     * @return these faults, for chaining
     */
    public Faults refuseOpens(boolean refuse) {
        refuseOpens = refuse;
        return arm();
    }

    /**
     * While true, the HB bit is never offered (transfers still work): a host
     * whose high-bandwidth path went away, e.g. after a migration.
     *
     * @param lowBandwidthOnly true to stop offering high bandwidth, false to offer it again
     * @return these faults, for chaining
     */
    public Faults lowBandwidthOnly(boolean lowBandwidthOnly) {
        this.lowBandwidthOnly = lowBandwidthOnly;
        return arm();
    }

    /**
     * The next RECEIVE_SIZE that offers a message announces {@code length}
     * (taken as an unsigned 32-bit value: {@code -1} is {@code 0xFFFFFFFF})
     * instead of the real length. Models a hostile or broken host; the guest
     * must refuse to allocate blindly. Fetching past the real bytes fails.
     *
     * @param length the length to announce, as an unsigned 32-bit value
     * @return these faults, for chaining
     */
    public Faults announceReplyLength(long length) {
        announcedLength.set(length & 0xFFFF_FFFFL);
        return arm();
    }

    /**
     * The next RPCI reply is {@code "1 "} followed by bytes that are not valid UTF-8.
     *
     * @return these faults, for chaining
     */
    public Faults invalidUtf8Reply() {
        invalidUtf8.incrementAndGet();
        return arm();
    }

    /**
     * Delays the next call of {@code type} by {@code delay} before answering:
     * a slow or busy host, for testing the guest's timeouts. The sleep happens
     * outside every host lock; an interrupt ends it early.
     *
     * @param type the MESSAGE sub-command whose next call is delayed
     * @param delay how long to wait before answering
     * @return these faults, for chaining
     */
    public Faults stall(MessageType type, Duration delay) {
        stalls.set(type.ordinal(), delay);
        return arm();
    }

    /**
     * While true, every TCLO application name counts as held by another guest
     * process (as {@code toolbox} is when vmtoolsd runs): a channel answering
     * {@code reset} with {@code OK ATR <app>} is a duplicate, gets only
     * {@code reset}s, and is closed by the host after each attach attempt, so
     * the guest sees "reset, channel error" once per restart
     * (tclo.md section 4, open-vm-tools commit 6e7835970).
     *
     * @param taken true to treat every app name as held by another process, false to stop
     * @return these faults, for chaining
     */
    public Faults appNameTaken(boolean taken) {
        appNameTaken = taken;
        return arm();
    }

    /**
     * The next {@code times} high-bandwidth transfers fail with status 0: a host
     * that cannot reach the guest's buffer (encrypted memory, a bad mapping).
     *
     * @param times how many high-bandwidth transfers in a row fail
     * @return these faults, for chaining
     */
    public Faults hbCallsFail(int times) {
        highBandwidthFailures.addAndGet(positive(times));
        return arm();
    }

    /**
     * The next RECEIVE_SIZE or RECEIVE_PAYLOAD echoes a wrong type in the high
     * half of {@code dx} (fault 9 in host-behaviour.md section 7): a guest must
     * report a protocol error.
     *
     * @return these faults, for chaining
     */
    public Faults wrongEchoOnce() {
        wrongEchoes.incrementAndGet();
        return arm();
    }

    /**
     * The next RPCI request gets no reply: RECEIVE_SIZE answers without DORECV
     * (fault 10). A guest must treat that as an error, not an empty success.
     *
     * @return these faults, for chaining
     */
    public Faults noReplyOnce() {
        missingReplies.incrementAndGet();
        return arm();
    }

    /** Disarms everything. */
    public void clear() {
        for (int i = 0; i < TYPES; i++) {
            checkpoints.set(i, 0);
            closes.set(i, 0);
            statuses.set(i, 0);
            stalls.set(i, null);
        }
        announcedLength.set(NONE);
        invalidUtf8.set(0);
        highBandwidthFailures.set(0);
        wrongEchoes.set(0);
        missingReplies.set(0);
        refuseOpens = false;
        lowBandwidthOnly = false;
        appNameTaken = false;
        armed = false;
    }

    /**
     * The faults armed and not yet fired (toggles that are on included), one description each.
     *
     * @return the faults armed and not yet fired (toggles that are on included), one description each
     */
    public List<String> pending() {
        List<String> pending = new ArrayList<>();
        for (MessageType type : MessageType.values()) {
            int i = type.ordinal();
            add(pending, checkpoints.get(i), "checkpoint on " + type);
            add(pending, closes.get(i), "close channel on " + type);
            add(pending, statuses.get(i) != 0 ? 1 : 0, "status on " + type);
            add(pending, stalls.get(i) != null ? 1 : 0, "stall on " + type);
        }
        add(pending, announcedLength.get() != NONE ? 1 : 0, "announce reply length");
        add(pending, invalidUtf8.get(), "invalid UTF-8 reply");
        add(pending, highBandwidthFailures.get(), "high-bandwidth call fails");
        add(pending, wrongEchoes.get(), "wrong echo");
        add(pending, missingReplies.get(), "no reply");
        add(pending, refuseOpens ? 1 : 0, "refuse opens");
        add(pending, lowBandwidthOnly ? 1 : 0, "low bandwidth only");
        add(pending, appNameTaken ? 1 : 0, "app name taken");
        return List.copyOf(pending);
    }

    private static void add(List<String> pending, int count, String what) {
        if (count == 1) {
            pending.add(what);
        } else if (count > 1) {
            pending.add(what + " x" + count);
        }
    }

    private Faults arm() {
        armed = true;
        return this;
    }

    private static int positive(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        return times;
    }

    boolean armed() {
        return armed;
    }

    private static boolean take(AtomicIntegerArray counts, int index) {
        for (;;) {
            int left = counts.get(index);
            if (left <= 0) {
                return false;
            }
            if (counts.compareAndSet(index, left, left - 1)) {
                return true;
            }
        }
    }

    private static boolean take(AtomicInteger count) {
        for (;;) {
            int left = count.get();
            if (left <= 0) {
                return false;
            }
            if (count.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    boolean takeCheckpoint(MessageType type) {
        return armed && take(checkpoints, type.ordinal());
    }

    boolean takeClose(MessageType type) {
        return armed && take(closes, type.ordinal());
    }

    /** The forced status, or -1. */
    int takeStatus(MessageType type) {
        if (!armed) {
            return -1;
        }
        int value = statuses.getAndSet(type.ordinal(), 0);
        return value == 0 ? -1 : value & 0xFFFF;
    }

    @org.jspecify.annotations.Nullable Duration takeStall(MessageType type) {
        return armed ? stalls.getAndSet(type.ordinal(), null) : null;
    }

    /** The forced announced length, or -1. */
    long takeAnnouncedLength() {
        if (!armed) {
            return -1;
        }
        long value = announcedLength.getAndSet(NONE);
        return value == NONE ? -1 : value;
    }

    boolean takeInvalidUtf8() {
        return armed && take(invalidUtf8);
    }

    boolean takeHighBandwidthFailure() {
        return armed && take(highBandwidthFailures);
    }

    boolean takeWrongEcho() {
        return armed && take(wrongEchoes);
    }

    boolean takeMissingReply() {
        return armed && take(missingReplies);
    }

    boolean refusingOpens() {
        return armed && refuseOpens;
    }

    boolean lowBandwidthOnlyNow() {
        return armed && lowBandwidthOnly;
    }

    boolean appNameTakenNow() {
        return armed && appNameTaken;
    }
}
