package dev.vmwguest.rpci;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Encoders for the RPCI commands vmwguest knows, producing the exact bytes
 * shared/protocol/rpci.md specifies. Pure: nothing here touches the host.
 *
 * <p>Requests carry no trailing NUL (the form {@code vmware-rpctool} sends,
 * which every host accepts). Text is UTF-8.
 */
public final class RpciCommands {

    /** {@code tools.set.version} value for guest-managed tools ({@code TOOLS_VERSION_UNMANAGED}). */
    public static final int TOOLS_VERSION_UNMANAGED = 0x7FFF_FFFF;

    /**
     * Commands that may be sent a second time after the host already acted on
     * the first: repeating them leaves the host as one would. Everything else
     * (notably {@code log}, {@code guest.log.text} and
     * {@code tools.os.statechange.status}) is resent only when the host never
     * received it.
     */
    private static final Set<String> IDEMPOTENT = Set.of("info-get", "info-set", "machine.id.get",
            "tools.set.version", "tools.set.versiontype", "vmx.capability.unified_loop", "SetGuestInfo",
            "SetGuestDiskInfo", "guest.log.state", "update.tools.health");

    private RpciCommands() {
    }

    /**
     * {@code info-get guestinfo.<key>}.
     *
     * @param key the key to read
     * @return the request bytes
     */
    public static byte[] infoGet(GuestInfoKey key) {
        return utf8("info-get " + key.name());
    }

    /**
     * {@code info-set guestinfo.<key> <value>}: the value is everything after the key's space.
     *
     * @param key the key to set
     * @param value the value's bytes, sent unchanged
     * @return the request bytes
     */
    public static byte[] infoSet(GuestInfoKey key, byte[] value) {
        byte[] head = utf8("info-set " + key.name() + " ");
        byte[] message = new byte[head.length + value.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(value, 0, message, head.length, value.length);
        return message;
    }

    /**
     * The largest value {@link #infoSet} can carry for {@code key} within the host's 64 KiB message limit.
     *
     * @param key the key to set
     * @param maxMessage the largest message the channel sends, in bytes
     * @return the largest value in bytes
     */
    public static int maxInfoSetValue(GuestInfoKey key, int maxMessage) {
        return maxMessage - ("info-set " + key.name() + " ").length();
    }

    /**
     * {@code log <text>}: one line in the VM's vmware.log.
     *
     * @param text the line to log
     * @return the request bytes
     * @throws IllegalArgumentException if {@code text} holds a NUL: the host would log only what precedes it
     */
    public static byte[] log(String text) {
        int nul = Objects.requireNonNull(text, "text").indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException("log text has a NUL at index " + nul
                    + "; the host ends a text command at its first NUL and would log only the text before it");
        }
        return utf8("log " + text);
    }

    /**
     * {@code tools.set.version <n>}.
     *
     * @param version the encoded version, see {@link #encodeToolsVersion}
     * @return the request bytes
     * @throws IllegalArgumentException for a negative version: old hosts parse it as signed 32-bit
     */
    public static byte[] setToolsVersion(int version) {
        if (version < 0) {
            throw new IllegalArgumentException("tools version must be 0.." + TOOLS_VERSION_UNMANAGED + ", got " + version);
        }
        return utf8("tools.set.version " + version);
    }

    /**
     * {@code tools.set.versiontype <n> <type>}: the newer form of
     * {@link #setToolsVersion(int)} that vmtoolsd tries first.
     *
     * @param version the encoded version, see {@link #encodeToolsVersion}
     * @param type how the tools were installed
     * @return the request bytes
     * @throws IllegalArgumentException for a negative version: old hosts parse it as signed 32-bit
     */
    public static byte[] setToolsVersionType(int version, ToolsInstallType type) {
        setToolsVersion(version);
        return utf8("tools.set.versiontype " + version + " " + type.code());
    }

    /**
     * The encoded tools version {@code (major << 10) | (minor << 5) | base}, e.g. 13.1.0 = 13344.
     *
     * @param major the major version, 0 to 4194303
     * @param minor the minor version, 0 to 31
     * @param base the base (patch) version, 0 to 31
     * @return the encoded version
     */
    public static int encodeToolsVersion(int major, int minor, int base) {
        if (major < 0 || major > 0x1F_FFFF || minor < 0 || minor > 31 || base < 0 || base > 31) {
            throw new IllegalArgumentException("tools version " + major + "." + minor + "." + base + " out of range");
        }
        return major << 10 | minor << 5 | base;
    }

    /**
     * {@code tools.capability.<name> } with the trailing space VMX handlers
     * expect for a capability without a value (rpci.md section 1.1).
     *
     * @param name the capability name, such as {@code statechange}
     * @return the request bytes
     */
    public static byte[] capability(String name) {
        return utf8("tools.capability." + word("capability name", name) + " ");
    }

    /**
     * {@code tools.capability.<name> <arguments>}, e.g. {@code hgfs_server toolbox 1}.
     *
     * @param name the capability name, such as {@code hgfs_server}
     * @param arguments its value, sent after one space
     * @return the request bytes
     */
    public static byte[] capability(String name, String arguments) {
        return utf8("tools.capability." + word("capability name", name) + " " + Objects.requireNonNull(arguments));
    }

    /**
     * {@code tools.capability.features i=v i=v ...}, indexes in ascending order.
     *
     * @param values the capability values by index
     * @return the request bytes
     */
    public static byte[] features(Map<Integer, Integer> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no feature values to send");
        }
        StringJoiner pairs = new StringJoiner(" ", "tools.capability.features ", "");
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> pairs.add(e.getKey() + "=" + e.getValue()));
        return utf8(pairs.toString());
    }

    /**
     * {@code vmx.capability.unified_loop <app>}: TCLO app {@code app} runs the unified loop.
     *
     * @param app the TCLO app name, such as {@code toolbox}
     * @return the request bytes
     */
    public static byte[] unifiedLoop(String app) {
        return utf8("vmx.capability.unified_loop " + word("app name", app));
    }

    /**
     * {@code machine.id.get}.
     *
     * @return {@code machine.id.get}
     */
    public static byte[] machineIdGet() {
        return utf8("machine.id.get");
    }

    /**
     * {@code SetGuestInfo  <type> <value>}: note the two spaces, as every real client sends them.
     *
     * @param type what the value is (uptime, DNS name ...)
     * @param value the value
     * @return the request bytes
     */
    public static byte[] setGuestInfo(GuestInfoType type, String value) {
        return utf8("SetGuestInfo  " + type.code() + " " + Objects.requireNonNull(value, "value"));
    }

    /**
     * {@code tools.os.statechange.status <1|0> <state>}: the outcome of a power operation.
     *
     * @param succeeded whether the power operation's script succeeded
     * @param state the power operation it reports on
     * @return the request bytes
     */
    public static byte[] stateChangeStatus(boolean succeeded, PowerState state) {
        return utf8("tools.os.statechange.status " + (succeeded ? 1 : 0) + " " + state.code());
    }

    /**
     * The command name of a request: the bytes before the first space or NUL, as the host reads it.
     *
     * @param request the request bytes
     * @return the command name, or the whole request if it has no space or NUL
     */
    public static String commandName(byte[] request) {
        int end = 0;
        while (end < request.length && request[end] != ' ' && request[end] != 0) {
            end++;
        }
        return new String(request, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Whether resending {@code command} after the host acted on it is harmless.
     *
     * @param command the command name, as {@link #commandName} gives it
     * @return whether it may be resent
     */
    public static boolean isIdempotent(String command) {
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
