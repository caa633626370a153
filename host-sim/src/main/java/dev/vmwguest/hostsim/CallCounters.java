package dev.vmwguest.hostsim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the guest cost the host: backdoor calls by kind, message sub-commands,
 * bytes moved, channel opens and closes, violations and checkpoints served.
 *
 * <p>These counts are the performance currency of the project: on real
 * hardware every backdoor call is a VM exit. They are deterministic, so tests
 * assert exact numbers (guestrpc-channel.md section 8: 7 calls for a one-shot
 * high-bandwidth RPCI).
 *
 * <p>Thread-safe and cheap to update (striped adders); a reading taken while
 * guest threads run is not a consistent cut across counters, {@link #snapshot()}
 * included.
 */
public final class CallCounters {

    private final LongAdder total = new LongAdder();
    private final LongAdder lowBandwidth = new LongAdder();
    private final LongAdder highBandwidthOut = new LongAdder();
    private final LongAdder highBandwidthIn = new LongAdder();
    private final LongAdder[] byType = new LongAdder[MessageType.values().length];
    private final LongAdder opens = new LongAdder();
    private final LongAdder closes = new LongAdder();
    private final LongAdder violations = new LongAdder();
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder bytesToHost = new LongAdder();
    private final LongAdder bytesToGuest = new LongAdder();
    private final Map<String, LongAdder> rpci = new ConcurrentHashMap<>();

    CallCounters() {
        for (int i = 0; i < byType.length; i++) {
            byType[i] = new LongAdder();
        }
    }

    /**
     * Every backdoor call, of any kind.
     *
     * @return every backdoor call, of any kind
     */
    public long total() {
        return total.sum();
    }

    /**
     * Low-bandwidth calls ({@code in}): every command, MESSAGE sub-commands included.
     *
     * @return the number of low-bandwidth calls so far
     */
    public long lowBandwidth() {
        return lowBandwidth.sum();
    }

    /**
     * High-bandwidth transfers to the host ({@code rep outsb}).
     *
     * @return the number of high-bandwidth transfers to the host so far
     */
    public long highBandwidthOut() {
        return highBandwidthOut.sum();
    }

    /**
     * High-bandwidth transfers to the guest ({@code rep insb}).
     *
     * @return the number of high-bandwidth transfers to the guest so far
     */
    public long highBandwidthIn() {
        return highBandwidthIn.sum();
    }

    /**
     * Low-bandwidth MESSAGE calls of one sub-command. High-bandwidth transfers
     * are not included: see {@link #highBandwidthOut()} and {@link #highBandwidthIn()}.
     *
     * @param type the MESSAGE sub-command to count
     * @return the number of low-bandwidth calls of {@code type} so far
     */
    public long of(MessageType type) {
        return byType[type.ordinal()].sum();
    }

    /**
     * Successful OPENs.
     *
     * @return the number of successful OPENs so far
     */
    public long opens() {
        return opens.sum();
    }

    /**
     * Channels closed by the guest's CLOSE (host-side closes and resets are not counted).
     *
     * @return the number of channels the guest closed so far
     */
    public long closes() {
        return closes.sum();
    }

    /**
     * Calls the host refused as protocol violations: unknown id, wrong cookie, wrong state, bad size.
     *
     * @return the number of calls refused as protocol violations so far
     */
    public long violations() {
        return violations.sum();
    }

    /**
     * Calls answered with the checkpoint status (CPT).
     *
     * @return the number of calls answered with the checkpoint status so far
     */
    public long checkpointsServed() {
        return checkpoints.sum();
    }

    /**
     * Message payload bytes the host accepted from the guest (both paths).
     *
     * @return the number of payload bytes the host accepted so far
     */
    public long bytesToHost() {
        return bytesToHost.sum();
    }

    /**
     * Message payload bytes the host handed to the guest (both paths).
     *
     * @return the number of payload bytes the host handed out so far
     */
    public long bytesToGuest() {
        return bytesToGuest.sum();
    }

    /**
     * RPCI requests by command name (as the host parsed it).
     *
     * @param command the command name, such as {@code info-set}
     * @return how many requests for {@code command} the host received so far
     */
    public long rpci(String command) {
        LongAdder count = rpci.get(command);
        return count == null ? 0 : count.sum();
    }

    /** Sets every counter to zero. Not atomic with respect to running guest threads. */
    public void reset() {
        for (LongAdder adder : new LongAdder[] {total, lowBandwidth, highBandwidthOut, highBandwidthIn, opens, closes,
                violations, checkpoints, bytesToHost, bytesToGuest}) {
            adder.reset();
        }
        for (LongAdder adder : byType) {
            adder.reset();
        }
        rpci.clear();
    }

    /**
     * An immutable copy of every counter, for before/after comparisons and printing.
     *
     * @return an immutable copy of every counter, for before/after comparisons and printing
     */
    public Snapshot snapshot() {
        Map<MessageType, Long> types = new TreeMap<>();
        for (MessageType type : MessageType.values()) {
            types.put(type, of(type));
        }
        Map<String, Long> commands = new TreeMap<>();
        rpci.forEach((name, count) -> commands.put(name, count.sum()));
        return new Snapshot(total(), lowBandwidth(), highBandwidthOut(), highBandwidthIn(), Map.copyOf(types),
                opens(), closes(), violations(), checkpointsServed(), bytesToHost(), bytesToGuest(),
                Map.copyOf(commands));
    }

    /**
     * The counters at one moment.
     *
     * @param total            every backdoor call
     * @param lowBandwidth     {@code in} calls
     * @param highBandwidthOut {@code rep outsb} transfers
     * @param highBandwidthIn  {@code rep insb} transfers
     * @param byType           low-bandwidth MESSAGE calls per sub-command
     * @param opens            successful OPENs
     * @param closes           guest CLOSEs
     * @param violations       refused calls
     * @param checkpoints      CPT answers served
     * @param bytesToHost      payload bytes guest to host
     * @param bytesToGuest     payload bytes host to guest
     * @param rpciCommands     RPCI requests per command name
     */
    public record Snapshot(long total, long lowBandwidth, long highBandwidthOut, long highBandwidthIn,
            Map<MessageType, Long> byType, long opens, long closes, long violations, long checkpoints,
            long bytesToHost, long bytesToGuest, Map<String, Long> rpciCommands) {
    }

    void call() {
        total.increment();
        lowBandwidth.increment();
    }

    void highBandwidth(boolean out) {
        total.increment();
        (out ? highBandwidthOut : highBandwidthIn).increment();
    }

    void message(MessageType type) {
        byType[type.ordinal()].increment();
    }

    void opened() {
        opens.increment();
    }

    void closed() {
        closes.increment();
    }

    void violation() {
        violations.increment();
    }

    void checkpoint() {
        checkpoints.increment();
    }

    void toHost(int bytes) {
        bytesToHost.add(bytes);
    }

    void toGuest(int bytes) {
        bytesToGuest.add(bytes);
    }

    void rpciCommand(String command) {
        rpci.computeIfAbsent(command, name -> new LongAdder()).increment();
    }
}
