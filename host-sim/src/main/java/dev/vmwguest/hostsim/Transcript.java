package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.RegisterFrame;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every backdoor call the host answered, in order, when the transcript is on
 * ({@link SimulatedHostBuilder#transcript(boolean)}; off in zero-cost mode).
 *
 * <p>Bounded: the newest {@value #CAPACITY} entries are kept, so a long test
 * cannot exhaust memory. Thread-safe.
 */
public final class Transcript {

    /** The number of entries kept; older ones are dropped first. */
    public static final int CAPACITY = 100_000;

    private final ArrayDeque<TranscriptEntry> entries = new ArrayDeque<>();
    private final boolean enabled;
    private long sequence;

    Transcript(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Whether calls are being recorded.
     *
     * @return whether calls are being recorded
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * A copy of the recorded entries, oldest first.
     *
     * @return a copy of the recorded entries, oldest first
     */
    public synchronized List<TranscriptEntry> entries() {
        return List.copyOf(entries);
    }

    /** Drops every recorded entry (the sequence keeps counting). */
    public synchronized void clear() {
        entries.clear();
    }

    /**
     * The entries as text, one block per call, for printing when a test fails.
     *
     * @return the entries as text, one block per call, for printing when a test fails
     */
    public String format() {
        return entries().stream().map(TranscriptEntry::toString).collect(Collectors.joining("\n"));
    }

    synchronized void record(TranscriptEntry.Kind kind, RegisterFrame in, RegisterFrame out, byte[] payload,
            String note) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(new TranscriptEntry(sequence++, kind, in, out, payload, note));
    }
}
