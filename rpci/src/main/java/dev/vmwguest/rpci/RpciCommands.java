package dev.vmwguest.rpci;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Encoders for the RPCI commands vmwguest knows, producing the exact bytes
 * shared/protocol/rpci.md specifies. Pure: nothing here touches the host.
 *
 * <p>Requests carry no trailing NUL (the form {@code vmware-rpctool} sends,
 * which every host accepts). Text is UTF-8; text without a UTF-8 form (an
 * unpaired surrogate) is refused with {@link IllegalArgumentException}, never
 * altered ({@link WireText}). A null argument is refused with a
 * {@link NullPointerException} naming it.
 *
 * <p>Internal: users send {@link RpciRequest}s, which encode themselves with these.
 */
final class RpciCommands {

    /** {@code tools.set.version} value for guest-managed tools ({@code TOOLS_VERSION_UNMANAGED}). */
    static final int TOOLS_VERSION_UNMANAGED = RpciRequest.SetToolsVersion.UNMANAGED;

    /**
     * Commands that may be sent a second time after the host already acted on
     * the first: repeating them leaves the host as one would. Everything else
     * (notably {@code log}, {@code guest.log.text} and
     * {@code tools.os.statechange.status}) is resent only when the host never
     * received it.
     */
    /** Commands whose first argument is a guestinfo key, which failures name (never the value after it). */
    private static final Set<String> KEYED = Set.of("info-get", "info-set");
    /** Longest key quoted in a message; a raw command can carry any length. */
    private static final int KEY_SHOWN = 128;

    private static final Set<String> IDEMPOTENT = Set.of("info-get", "info-set", "machine.id.get",
            "tools.set.version", "tools.set.versiontype", "vmx.capability.unified_loop", "SetGuestInfo",
            "SetGuestDiskInfo", "guest.log.state", "update.tools.health");

    private static final byte[][] IDEMPOTENT_NAMES = IDEMPOTENT.stream()
            .map(name -> name.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    private static final byte[] CAPABILITY_PREFIX = "tools.capability.".getBytes(StandardCharsets.US_ASCII);

    private RpciCommands() {
    }

    /** {@code info-get guestinfo.<key>}. */
    static byte[] infoGet(GuestInfoKey key) {
        return utf8("info-get " + Objects.requireNonNull(key, "key").name());
    }

    /** {@code info-set guestinfo.<key> <value>}: the value is everything after the key's space. */
    static byte[] infoSet(GuestInfoKey key, byte[] value) {
        Objects.requireNonNull(value, "value");
        byte[] head = utf8("info-set " + Objects.requireNonNull(key, "key").name() + " ");
        byte[] message = new byte[head.length + value.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(value, 0, message, head.length, value.length);
        return message;
    }

    /** The largest value {@link #infoSet} can carry for {@code key} within the host's 64 KiB message limit. */
    static int maxInfoSetValue(GuestInfoKey key, int maxMessage) {
        return maxMessage - ("info-set " + Objects.requireNonNull(key, "key").name() + " ").length();
    }

    /**
     * {@code log <text>}: one line in the VM's vmware.log.
     *
     * @throws IllegalArgumentException if {@code text} holds a NUL (the host would log only what precedes it)
     *         or an unpaired surrogate (no UTF-8 form), naming its index
     */
    static byte[] log(String text) {
        int nul = WireText.requireEncodable(text, "log text").indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException("log text has a NUL at index " + nul
                    + "; the host ends a text command at its first NUL and would log only the text before it");
        }
        return utf8("log " + text);
    }

    /**
     * {@code tools.set.version <n>}.
     *
     * @throws IllegalArgumentException for a negative version: old hosts parse it as signed 32-bit
     */
    static byte[] setToolsVersion(int version) {
        if (version < 0) {
            throw new IllegalArgumentException("tools version must be 0.." + TOOLS_VERSION_UNMANAGED + ", got " + version);
        }
        return utf8("tools.set.version " + version);
    }

    /**
     * {@code tools.set.versiontype <n> <type>}: the newer form of
     * {@link #setToolsVersion(int)} that vmtoolsd tries first.
     *
     * @throws IllegalArgumentException for a negative version: old hosts parse it as signed 32-bit
     */
    static byte[] setToolsVersionType(int version, ToolsInstallType type) {
        setToolsVersion(version);
        return utf8("tools.set.versiontype " + version + " " + Objects.requireNonNull(type, "type").code());
    }

    /** The encoded tools version {@code (major << 10) | (minor << 5) | base}, e.g. 13.1.0 = 13344. */
    static int encodeToolsVersion(int major, int minor, int base) {
        if (major < 0 || major > 0x1F_FFFF || minor < 0 || minor > 31 || base < 0 || base > 31) {
            throw new IllegalArgumentException("tools version " + major + "." + minor + "." + base + " out of range");
        }
        return major << 10 | minor << 5 | base;
    }

    /**
     * {@code tools.capability.<name> } with the trailing space VMX handlers
     * expect for a capability without a value (rpci.md section 1.1).
     */
    static byte[] capability(String name) {
        return utf8("tools.capability." + word("capability name", name) + " ");
    }

    /** {@code tools.capability.<name> <arguments>}, e.g. {@code hgfs_server toolbox 1}. */
    static byte[] capability(String name, String arguments) {
        return utf8("tools.capability." + word("capability name", name) + " "
                + WireText.requireEncodable(arguments, "capability arguments"));
    }

    /** {@code tools.capability.features i=v i=v ...}, indexes in ascending order. */
    static byte[] features(Map<Integer, Integer> values) {
        if (Objects.requireNonNull(values, "values").isEmpty()) {
            throw new IllegalArgumentException("no feature values to send");
        }
        StringJoiner pairs = new StringJoiner(" ", "tools.capability.features ", "");
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> pairs.add(e.getKey() + "=" + e.getValue()));
        return utf8(pairs.toString());
    }

    /** {@code vmx.capability.unified_loop <app>}: TCLO app {@code app} runs the unified loop. */
    static byte[] unifiedLoop(String app) {
        return utf8("vmx.capability.unified_loop " + word("app name", app));
    }

    /** {@code machine.id.get}. */
    static byte[] machineIdGet() {
        return utf8("machine.id.get");
    }

    /** {@code SetGuestInfo  <type> <value>}: note the two spaces, as every real client sends them. */
    static byte[] setGuestInfo(GuestInfoType type, String value) {
        return utf8("SetGuestInfo  " + Objects.requireNonNull(type, "type").code() + " "
                + WireText.requireEncodable(value, "value"));
    }

    /** {@code SetGuestInfo  <type> <value>} with the value as bytes (binary-safe). */
    static byte[] setGuestInfo(GuestInfoType type, byte[] value) {
        byte[] head = utf8("SetGuestInfo  " + Objects.requireNonNull(type, "type").code() + " ");
        byte[] message = new byte[head.length + Objects.requireNonNull(value, "value").length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(value, 0, message, head.length, value.length);
        return message;
    }

    /** {@code tools.os.statechange.status <1|0> <state>}: the outcome of a power operation. */
    static byte[] stateChangeStatus(boolean succeeded, PowerState state) {
        return utf8("tools.os.statechange.status " + (succeeded ? 1 : 0) + " "
                + Objects.requireNonNull(state, "state").code());
    }

    /** The command name of a request: the bytes before the first space or NUL, as the host reads it. */
    static String commandName(byte[] request) {
        Objects.requireNonNull(request, "request");
        int end = 0;
        while (end < request.length && request[end] != ' ' && request[end] != 0) {
            end++;
        }
        return new String(request, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * What a message may say about {@code request}: its command name, and for
     * {@code info-get} and {@code info-set} the key after it, e.g.
     * {@code info-set guestinfo.ip}. Never the value or other arguments, which
     * may be credentials.
     *
     * @param request the request bytes
     * @return the command name, with the key where there is one
     */
    static String describe(byte[] request) {
        String command = commandName(request);
        String key = keyOf(request);
        return key == null ? command : command + " " + key;
    }

    /**
     * The guestinfo key of an {@code info-get} or {@code info-set} request, bytes
     * outside printable ASCII escaped and cut at 128; null for other commands.
     */
    static @Nullable String keyOf(byte[] request) {
        int start = Objects.requireNonNull(request, "request").length;
        for (int i = 0; i < request.length; i++) {
            if (request[i] == ' ' || request[i] == 0) {
                start = i + 1;
                break;
            }
        }
        if (start >= request.length || !KEYED.contains(commandName(request))) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (int i = start; i < request.length && request[i] != ' ' && request[i] != 0; i++) {
            if (key.length() >= KEY_SHOWN) {
                return key.append("...").toString();
            }
            int b = request[i] & 0xFF;
            key.append(b > 0x20 && b < 0x7F ? Character.toString(b) : String.format("\\x%02X", b));
        }
        return key.toString();
    }

    /**
     * Whether resending {@code request} after the host acted on it is
     * harmless, read from its command name without allocating: the hot path
     * of {@link RpciClient#send(String)} calls this for every command.
     */
    static boolean isIdempotentRequest(byte[] request) {
        int end = 0;
        while (end < request.length && request[end] != ' ' && request[end] != 0) {
            end++;
        }
        if (startsWith(request, end, CAPABILITY_PREFIX)) {
            return true;
        }
        for (byte[] name : IDEMPOTENT_NAMES) {
            if (name.length == end && startsWith(request, end, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] request, int end, byte[] prefix) {
        if (prefix.length > end) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (request[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether resending {@code command} after the host acted on it is harmless. */
    static boolean isIdempotent(String command) {
        Objects.requireNonNull(command, "command");
        return IDEMPOTENT.contains(command) || command.startsWith("tools.capability.");
    }

    private static String word(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
            throw new IllegalArgumentException(what + " '" + value + "' must be one word of printable ASCII");
        }
        return value;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
