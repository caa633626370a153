package dev.vmwguest.hostsim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The host's RPCI command interpreter (shared/protocol/rpci.md,
 * host-behaviour.md section 4): one complete guest message in, one reply out.
 *
 * <p>Parsing: the command is the bytes before the first space or NUL; the
 * arguments are the bytes after that space. Text requests end at their first
 * NUL (vmtoolsd counts one; OpenBSD pads to 4 KiB); binary {@code SetGuestInfo}
 * types keep the full length. A lone trailing space after a command name
 * (the "no value" capabilities) means empty arguments.
 *
 * <p>Thread-safe: the recorded state is guarded by this object's monitor.
 */
final class RpciEngine {

    static final String UNKNOWN_COMMAND = "Unknown command";
    static final String NO_VALUE = "No value found";
    static final String PERMISSION_DENIED = "Permission denied";
    /** observed-clients.md's wording for {@code info-set} without a value (assumed there). */
    static final String TWO_ARGUMENTS = "Two and exactly two arguments expected";
    /** Not in any source (CHOICE): the reply when {@code tools.setInfo.sizeLimit} would be passed. */
    static final String SIZE_LIMIT = "Guest info size limit exceeded";
    /** Not in any source (CHOICE). */
    static final String INVALID_VERSION = "Invalid tools version";
    /** Not in any source (CHOICE; guest-info.md section 7 item 1): a refused {@code SetGuestInfo} type. */
    static final String UNSUPPORTED_GUEST_INFO = "Unsupported guest info type";

    private static final byte[] INVALID_UTF8 = {'1', ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE,
            (byte) 0x80};
    private static final Set<Integer> BINARY_GUEST_INFO = Set.of(2, 3, 8, 9, 10, 11);

    private final RpciSettings config;
    private final GuestInfoStore guestInfo;
    private final RpciHandlers handlers;
    private final TcloQueue tclo;
    private final Faults faults;
    private final CallCounters counters;
    private final GuestReports reports = new GuestReports();

    private final List<String> log = new ArrayList<>();
    private final Map<String, String> capabilities = new LinkedHashMap<>();
    private final Map<Integer, String> features = new TreeMap<>();
    private final Map<Integer, byte[]> setGuestInfo = new TreeMap<>();
    private final List<String> recorded = new ArrayList<>();
    private final List<String> unifiedLoopApps = new ArrayList<>();
    private @Nullable String toolsVersion;
    private @Nullable String toolsVersionType;
    private @Nullable String diskInfo;

    RpciEngine(RpciSettings config, GuestInfoStore guestInfo, RpciHandlers handlers, TcloQueue tclo,
            Faults faults, CallCounters counters) {
        this.config = config;
        this.guestInfo = guestInfo;
        this.handlers = handlers;
        this.tclo = tclo;
        this.faults = faults;
        this.counters = counters;
    }

    /** Answers a backdoor request, which is never privileged (transports.md section 1.8). */
    byte @Nullable [] process(byte[] message, int length) {
        return process(message, length, false);
    }

    /**
     * Answers the request in {@code message[0..length)}; null when a fault withholds the reply.
     * {@code privileged}: it came on a vsock connection from a guest source port below 1024.
     */
    byte @Nullable [] process(byte[] message, int length, boolean privileged) {
        int nameEnd = 0;
        while (nameEnd < length && message[nameEnd] != ' ' && message[nameEnd] != 0) {
            nameEnd++;
        }
        String command = new String(message, 0, nameEnd, StandardCharsets.ISO_8859_1);
        int argsStart = nameEnd < length && message[nameEnd] == ' ' ? nameEnd + 1 : nameEnd;
        int textEnd = argsStart;
        while (textEnd < length && message[textEnd] != 0) {
            textEnd++;
        }
        counters.rpciCommand(command);
        RpciResult result;
        try {
            result = !privileged && handlers.needsSecure(message, length) ? RpciResult.error(PERMISSION_DENIED)
                    : dispatch(command, message, argsStart, textEnd, length);
        } catch (RuntimeException e) {
            // A user handler failed: the guest sees a failure reply, never an exception.
            result = RpciResult.error(String.valueOf(e.getMessage()));
        }
        if (faults.armed()) {
            if (faults.takeMissingReply()) {
                return null;
            }
            if (faults.takeInvalidUtf8()) {
                return INVALID_UTF8.clone();
            }
        }
        return result.unsafeBytes();
    }

    private RpciResult dispatch(String command, byte[] message, int argsStart, int textEnd, int length) {
        Optional<RpciHandler> handler = handlers.handler(command);
        if (handler.isPresent()) {
            int end = length;
            while (end > argsStart && message[end - 1] == 0) {
                end--;
            }
            return handler.get().handle(Arrays.copyOfRange(message, argsStart, end));
        }
        if (handlers.denied(command)) {
            return RpciResult.error(PERMISSION_DENIED);
        }
        if (handlers.unknown(command)) {
            return RpciResult.error(UNKNOWN_COMMAND);
        }
        String args = new String(message, argsStart, textEnd - argsStart, StandardCharsets.UTF_8);
        boolean modern = config.profile().modernRpci();
        if (command.startsWith("tools.capability.")) {
            return capability(command.substring("tools.capability.".length()), args);
        }
        return switch (command) {
            case "info-get" -> infoGet(args);
            case "info-set" -> infoSet(message, argsStart, textEnd);
            case "log" -> record(log, args);
            case "tools.set.version" -> toolsVersion(args, null);
            case "tools.set.versiontype" -> modern ? versionType(args) : RpciResult.error(UNKNOWN_COMMAND);
            case "vmx.capability.unified_loop" -> modern ? record(unifiedLoopApps, args.trim())
                    : RpciResult.error(UNKNOWN_COMMAND);
            case "guest.log.state" -> modern ? RpciResult.ok(config.guestLogLevel()) : RpciResult.error(UNKNOWN_COMMAND);
            case "SetGuestInfo" -> setGuestInfo(message, argsStart, length);
            case "SetGuestDiskInfo" -> diskInfo(args);
            case "tools.os.statechange.status" -> stateChange(args);
            case "machine.id.get" -> config.machineId().map(RpciResult::ok)
                    .orElseGet(() -> RpciResult.error(NO_VALUE));
            case "guest.log.text", "update.tools.health", "vmbackup.eventSet", "deployPkg.update.state" ->
                    record(recorded, command + (args.isEmpty() ? "" : " " + args));
            default -> RpciResult.error(UNKNOWN_COMMAND);
        };
    }

    private RpciResult infoGet(String args) {
        String key = args.trim();
        if (!isGuestKey(key)) {
            // The real reply text is not in the sources; observed-clients.md's harness used this one.
            return RpciResult.error(PERMISSION_DENIED);
        }
        byte[] value = guestInfo.guestGet(key);
        return value == null ? RpciResult.error(NO_VALUE) : RpciResult.ok(value);
    }

    /** Works on the bytes: the host stores a value byte for byte, valid UTF-8 or not (rpci.md section 2.1). */
    private RpciResult infoSet(byte[] message, int argsStart, int textEnd) {
        int space = argsStart;
        while (space < textEnd && message[space] != ' ') {
            space++;
        }
        if (space >= textEnd) {
            return RpciResult.error(TWO_ARGUMENTS);
        }
        String key = new String(message, argsStart, space - argsStart, StandardCharsets.UTF_8);
        if (!isGuestKey(key) || key.startsWith("/", GuestInfoStore.PREFIX.length())) {
            // guestinfo./ keys hold host-owned desired state (rpci.md section 2.1): not the guest's to write.
            return RpciResult.error(PERMISSION_DENIED);
        }
        byte[] value = Arrays.copyOfRange(message, space + 1, textEnd);
        return guestInfo.guestSet(key, value) ? RpciResult.ok("") : RpciResult.error(SIZE_LIMIT);
    }

    private static boolean isGuestKey(String key) {
        return key.length() > GuestInfoStore.PREFIX.length()
                && key.regionMatches(true, 0, GuestInfoStore.PREFIX, 0, GuestInfoStore.PREFIX.length());
    }

    private synchronized RpciResult capability(String name, String args) {
        if (name.equals("features")) {
            for (String pair : args.trim().split(" +")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    try {
                        features.put(Integer.parseInt(pair.substring(0, eq)), pair.substring(eq + 1));
                    } catch (NumberFormatException e) {
                        // not an index: recorded only as the raw capability below
                    }
                }
            }
        }
        capabilities.put(name, args);
        return RpciResult.ok("");
    }

    private synchronized RpciResult toolsVersion(String args, @Nullable String type) {
        String version = args.trim();
        try {
            Integer.parseInt(version); // old VMXs parse it as signed 32-bit (rpci.md section 2.3)
        } catch (NumberFormatException e) {
            return RpciResult.error(INVALID_VERSION);
        }
        toolsVersion = version;
        toolsVersionType = type;
        return RpciResult.ok("");
    }

    private RpciResult versionType(String args) {
        String[] parts = args.trim().split(" +");
        return parts.length == 2 ? toolsVersion(parts[0], parts[1]) : RpciResult.error(INVALID_VERSION);
    }

    /** {@code SetGuestInfo  <type> <data>}: args start at the delimiter (a second space). */
    private synchronized RpciResult setGuestInfo(byte[] message, int argsStart, int length) {
        int i = argsStart < length && message[argsStart] == ' ' ? argsStart + 1 : argsStart;
        int type = 0;
        int digits = 0;
        while (i < length && message[i] >= '0' && message[i] <= '9' && digits < 9) {
            type = type * 10 + (message[i++] - '0');
            digits++;
        }
        if (digits == 0) {
            return RpciResult.error("Invalid guest info type");
        }
        int dataStart = i < length && message[i] == ' ' ? i + 1 : i;
        int end = length;
        if (!BINARY_GUEST_INFO.contains(type)) {
            end = dataStart;
            while (end < length && message[end] != 0) {
                end++;
            }
        }
        if (handlers.refusesGuestInfo(type)) {
            return RpciResult.error(UNSUPPORTED_GUEST_INFO);
        }
        byte[] data = Arrays.copyOfRange(message, dataStart, end);
        setGuestInfo.put(type, data);
        reports.setGuestInfo(type, data);
        return RpciResult.ok("");
    }

    private synchronized RpciResult diskInfo(String args) {
        diskInfo = args;
        reports.diskInfo(args);
        return RpciResult.ok("");
    }

    private RpciResult stateChange(String args) {
        String[] parts = args.trim().split(" +");
        if (parts.length == 2) {
            try {
                tclo.stateChanged(parts[0].equals("1"), Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                return RpciResult.error("Invalid state");
            }
        }
        synchronized (this) {
            recorded.add("tools.os.statechange.status " + args);
        }
        return RpciResult.ok("");
    }

    private synchronized RpciResult record(List<String> into, String line) {
        into.add(line);
        return RpciResult.ok("");
    }

    // ---------------------------------------------------------------- views for SimulatedHost

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    synchronized Map<String, String> capabilities() {
        return Map.copyOf(capabilities);
    }

    synchronized Map<Integer, String> features() {
        return Map.copyOf(features);
    }

    synchronized Optional<String> toolsVersion() {
        return Optional.ofNullable(toolsVersion);
    }

    synchronized Optional<String> toolsVersionType() {
        return Optional.ofNullable(toolsVersionType);
    }

    synchronized Optional<byte[]> setGuestInfo(int type) {
        byte[] data = setGuestInfo.get(type);
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }

    synchronized Optional<String> diskInfo() {
        return Optional.ofNullable(diskInfo);
    }

    /** What vSphere would show; {@code toolsRunning} and {@code primaryIp} come from the TCLO side and guestinfo. */
    synchronized GuestView guestView(boolean toolsRunning, Optional<String> primaryIp) {
        return reports.view(primaryIp, toolsRunning, Optional.ofNullable(toolsVersion),
                Optional.ofNullable(toolsVersionType), capabilities.keySet());
    }

    synchronized List<String> unifiedLoopApps() {
        return List.copyOf(unifiedLoopApps);
    }

    synchronized List<String> otherReports() {
        return List.copyOf(recorded);
    }
}
