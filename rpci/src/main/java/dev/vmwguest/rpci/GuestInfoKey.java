package dev.vmwguest.rpci;

import java.util.Locale;
import java.util.Objects;

/**
 * A validated guestinfo key such as {@code guestinfo.ip}.
 *
 * <p>The host splits an RPCI request at spaces, so a key with a space (or any
 * other character the host or the VM's configuration file would misparse)
 * could smuggle a second argument: {@code info-set guestinfo.a b c} sets
 * {@code guestinfo.a} to {@code "b c"}. Keys are therefore checked before
 * anything is sent. Allowed: printable ASCII except {@code =} and {@code "}
 * (the VM configuration file's separator and quote). Rejected: whitespace,
 * control characters (NUL included), {@code =}, {@code "}, and anything
 * outside ASCII.
 *
 * <p>A key without the {@code guestinfo.} prefix gets it; the prefix is
 * matched case-insensitively, as the host matches keys (rpci.md section 2.1).
 *
 * @param name the full key, prefix included
 */
public record GuestInfoKey(String name) {

    /** The guest's namespace. */
    public static final String PREFIX = "guestinfo.";

    /**
     * Validates {@code name}; prefer {@link #of(String)}, which also adds the prefix.
     *
     * @param name the full key, {@code guestinfo.} prefix included
     */
    public GuestInfoKey {
        Objects.requireNonNull(name, "name");
        if (!name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("guestinfo key '" + printable(name) + "' must start with '" + PREFIX + "'");
        }
        if (name.length() == PREFIX.length()) {
            throw new IllegalArgumentException("guestinfo key '" + name + "' has nothing after the prefix");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '=' || c == '"') {
                throw new IllegalArgumentException(String.format("guestinfo key '%s' has %s (U+%04X) at index %d; "
                        + "keys may hold printable ASCII except space, '=' and '\"'", printable(name), describe(c),
                        (int) c, i));
            }
        }
    }

    /**
     * The key for {@code key}, adding the {@code guestinfo.} prefix when it is
     * missing.
     *
     * @param key the key, with or without the {@code guestinfo.} prefix
     * @return the key for {@code key}, adding the {@code guestinfo.} prefix when it is missing
     * @throws IllegalArgumentException if the key is empty or has a character the host would misparse,
     *         naming the character and its index
     */
    public static GuestInfoKey of(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("guestinfo key is empty");
        }
        boolean prefixed = key.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
        return new GuestInfoKey(prefixed ? key : PREFIX + key);
    }

    /**
     * The key without its prefix.
     *
     * @return the key without its prefix
     */
    public String shortName() {
        return name.substring(PREFIX.length());
    }

    @Override
    public String toString() {
        return name;
    }

    private static String describe(char c) {
        return switch (c) {
            case ' ' -> "a space";
            case '\t' -> "a tab";
            case '\n' -> "a newline";
            case '\r' -> "a carriage return";
            case 0 -> "a NUL";
            case '=' -> "'='";
            case '"' -> "a quote";
            default -> c < 0x20 || c == 0x7F ? "a control character" : "a non-ASCII character";
        };
    }

    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        key.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7F ? Character.toString(cp)
                : String.format(Locale.ROOT, "\\u%04X", cp)));
        return out.toString();
    }
}
