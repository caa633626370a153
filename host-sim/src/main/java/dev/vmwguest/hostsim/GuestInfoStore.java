package dev.vmwguest.hostsim;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's guest variables ({@code guestinfo.*}), as {@code info-get} and
 * {@code info-set} see them (shared/protocol/rpci.md section 2.1).
 *
 * <p>Two layers, as on a real VM: values a test {@link #put presets} (like
 * {@code guestinfo.*} entries in a {@code .vmx} file) and values the guest sets
 * with {@code info-set}; the newest write wins. A {@linkplain
 * SimulatedHost#resetHost() host reset} keeps both; {@link #clearGuestSet()}
 * models a power cycle.
 *
 * <p>Keys may be given with or without the {@code guestinfo.} prefix and are
 * matched case-insensitively (Linux vmwgfx spells the prefix {@code GuestInfo.};
 * rpci.md says the host probably matches case-insensitively, which is
 * uncertain, so this is a CHOICE). Values are bytes; the {@code String} views
 * decode them as UTF-8, replacing malformed input.
 *
 * <p>Thread-safe.
 */
public final class GuestInfoStore {

    /** The prefix of the guest's namespace. */
    public static final String PREFIX = "guestinfo.";

    private record Entry(String key, byte[] value, boolean guestSet) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long sizeLimit;

    GuestInfoStore(long sizeLimit) {
        this.sizeLimit = sizeLimit;
    }

    /**
     * The value of {@code key} ({@code "ip"} or {@code "guestinfo.ip"}), decoded as UTF-8.
     *
     * @param key the key, with or without the {@code guestinfo.} prefix
     * @return the value of {@code key} ({@code "ip"} or {@code "guestinfo.ip"}), decoded as UTF-8
     */
    public Optional<String> get(String key) {
        return getBytes(key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * The value of {@code key} as the bytes the guest (or the test) stored.
     *
     * @param key the key, with or without the {@code guestinfo.} prefix
     * @return the value of {@code key} as the bytes the guest (or the test) stored
     */
    public Optional<byte[]> getBytes(String key) {
        Entry entry = entries.get(normalize(key));
        return entry == null ? Optional.empty() : Optional.of(entry.value().clone());
    }

    /**
     * Presets {@code key} (with or without the prefix) as configuration, like a {@code .vmx} entry.
     *
     * @param key the key, with or without the {@code guestinfo.} prefix
     * @param value the value, stored as UTF-8
     * @return this store, for chaining
     */
    public GuestInfoStore put(String key, String value) {
        return put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Presets {@code key} to raw bytes.
     *
     * @param key the key, with or without the {@code guestinfo.} prefix
     * @param value the value's bytes, stored as they are
     * @return this store, for chaining
     */
    public GuestInfoStore put(String key, byte[] value) {
        String full = fullKey(key);
        entries.put(full.toLowerCase(Locale.ROOT), new Entry(full, value.clone(), false));
        return this;
    }

    /**
     * Removes {@code key} from both layers; true if it was present.
     *
     * @param key the key, with or without the {@code guestinfo.} prefix
     * @return true if the key had a value
     */
    public boolean remove(String key) {
        return entries.remove(normalize(key)) != null;
    }

    /**
     * Every key (with the {@code guestinfo.} prefix, as first written) and its UTF-8 value, sorted by key.
     *
     * @return every key (with the {@code guestinfo.} prefix, as first written) and its UTF-8 value, sorted by key
     */
    public Map<String, String> asMap() {
        Map<String, String> copy = new TreeMap<>();
        entries.values().forEach(e -> copy.put(e.key(), new String(e.value(), StandardCharsets.UTF_8)));
        return copy;
    }

    /** Drops the values the guest set, keeping presets: what a power cycle does. */
    public void clearGuestSet() {
        entries.values().removeIf(Entry::guestSet);
    }

    /** Drops everything. */
    public void clear() {
        entries.clear();
    }

    /**
     * Bytes of keys and values the guest has set, counted against {@code tools.setInfo.sizeLimit}.
     *
     * @return the bytes of keys and values set by the guest so far
     */
    public long guestSetBytes() {
        return entries.values().stream().filter(Entry::guestSet)
                .mapToLong(e -> e.key().length() + (long) e.value().length).sum();
    }

    /** Stores a guest write; false when it would pass the size limit (nothing stored then). */
    synchronized boolean guestSet(String key, byte[] value) {
        String normalized = key.toLowerCase(Locale.ROOT);
        Entry previous = entries.get(normalized);
        long before = guestSetBytes() - (previous != null && previous.guestSet()
                ? previous.key().length() + (long) previous.value().length : 0);
        if (before + key.length() + value.length > sizeLimit) {
            return false;
        }
        entries.put(normalized, new Entry(key, value, true));
        return true;
    }

    /** Reads with a key the guest sent, prefix included. */
    byte @org.jspecify.annotations.Nullable [] guestGet(String key) {
        Entry entry = entries.get(key.toLowerCase(Locale.ROOT));
        return entry == null ? null : entry.value();
    }

    private static String fullKey(String key) {
        return key.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? key : PREFIX + key;
    }

    private static String normalize(String key) {
        return fullKey(key).toLowerCase(Locale.ROOT);
    }
}
