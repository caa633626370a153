package dev.vmwguest.tclo;

import dev.vmwguest.rpci.PowerState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Pure parsing of host commands into {@link TcloCommand}s (shared/protocol/tclo.md sections 2 and 5). */
final class TcloParser {

    /** The reason open-vm-tools gives for a malformed {@code Set_Option} (toolsRpc.c). */
    static final String INVALID_OPTION = "Unknown or invalid option";
    /** The reason open-vm-tools' timeSync gives for an unreadable {@code Time_Synchronize} argument. */
    static final String BAD_TIME_SYNC = "Unable to tokenize TimeSync RPC data";

    private static final Map<String, Function<String, TcloCommand>> TYPED = Map.ofEntries(
            Map.entry(TcloCommand.Reset.NAME, a -> new TcloCommand.Reset()),
            Map.entry(TcloCommand.Ping.NAME, a -> new TcloCommand.Ping()),
            Map.entry(TcloCommand.CapabilitiesRegister.NAME, a -> new TcloCommand.CapabilitiesRegister()),
            Map.entry(TcloCommand.SetOption.NAME, TcloParser::setOption),
            Map.entry("OS_Halt", a -> new TcloCommand.PowerOperation(PowerState.HALT)),
            Map.entry("OS_Reboot", a -> new TcloCommand.PowerOperation(PowerState.REBOOT)),
            Map.entry("OS_PowerOn", a -> new TcloCommand.PowerOperation(PowerState.POWER_ON)),
            Map.entry("OS_Resume", a -> new TcloCommand.PowerOperation(PowerState.RESUME)),
            Map.entry("OS_Suspend", a -> new TcloCommand.PowerOperation(PowerState.SUSPEND)),
            Map.entry(TcloCommand.TimeSynchronize.NAME, TcloParser::timeSynchronize),
            Map.entry(TcloCommand.TimeInfoUpdate.NAME, a -> new TcloCommand.TimeInfoUpdate()),
            Map.entry(TcloCommand.BackupStart.NAME, TcloParser::backupStart),
            Map.entry(TcloCommand.BackupAbort.NAME, a -> new TcloCommand.BackupAbort()),
            Map.entry(TcloCommand.BackupSnapshotDone.NAME, a -> new TcloCommand.BackupSnapshotDone()),
            Map.entry(TcloCommand.BackupSnapshotCompleted.NAME, a -> new TcloCommand.BackupSnapshotCompleted()),
            Map.entry(TcloCommand.DeployPackageBegin.NAME, a -> new TcloCommand.DeployPackageBegin()),
            Map.entry(TcloCommand.DeployPackageDeploy.NAME, TcloParser::deployPackage),
            Map.entry(TcloCommand.VmSupportStart.NAME, a -> new TcloCommand.VmSupportStart()));

    private TcloParser() {
    }

    /** The names that parse into a record other than {@link TcloCommand.Unknown}. */
    static Set<String> typedNames() {
        return TYPED.keySet();
    }

    static TcloCommand parse(byte[] message) {
        int end = message.length;
        while (end > 0 && message[end - 1] == 0) {
            end--;                       // hosts may NUL-terminate; the byte count is authoritative otherwise
        }
        int start = 0;
        while (start < end && message[start] == ' ') {
            start++;                     // the name is the first space-delimited token
        }
        if (start == end) {
            throw new TcloFormatException(TcloReply.BAD_COMMAND, preview(message));
        }
        int space = start;
        while (space < end && message[space] != ' ') {
            space++;
        }
        String name = new String(message, start, space - start, StandardCharsets.UTF_8);
        byte[] arguments = space < end ? Arrays.copyOfRange(message, space + 1, end) : new byte[0];
        Function<String, TcloCommand> typed = TYPED.get(name);
        if (typed == null) {
            return new TcloCommand.Unknown(name, arguments);
        }
        try {
            return typed.apply(new String(arguments, StandardCharsets.UTF_8));
        } catch (ArgumentException e) {
            throw new TcloFormatException(e.getMessage(), preview(message));
        }
    }

    private static TcloCommand setOption(String arguments) {
        // open-vm-tools: option = first token, value = the rest after one space; empty parts are invalid.
        int space = arguments.indexOf(' ');
        if (space <= 0 || space == arguments.length() - 1) {
            throw new ArgumentException(INVALID_OPTION);
        }
        return new TcloCommand.SetOption(arguments.substring(0, space), arguments.substring(space + 1));
    }

    private static TcloCommand timeSynchronize(String arguments) {
        return switch (arguments.strip()) {
            case "0" -> new TcloCommand.TimeSynchronize(false);
            case "1" -> new TcloCommand.TimeSynchronize(true);
            default -> throw new ArgumentException(BAD_TIME_SYNC);
        };
    }

    private static TcloCommand backupStart(String arguments) {
        List<String> tokens = Arrays.stream(arguments.split(" ")).filter(t -> !t.isEmpty()).toList();
        if (tokens.isEmpty()) {
            return new TcloCommand.BackupStart(false, List.of());
        }
        if (!tokens.get(0).equals("0") && !tokens.get(0).equals("1")) {
            throw new ArgumentException("Invalid vmbackup.start arguments");
        }
        return new TcloCommand.BackupStart(tokens.get(0).equals("1"), tokens.subList(1, tokens.size()));
    }

    private static TcloCommand deployPackage(String arguments) {
        if (arguments.isBlank()) {
            throw new ArgumentException("Missing package file");
        }
        return new TcloCommand.DeployPackageDeploy(arguments);
    }

    /** Printable form of host bytes for messages: non-printable bytes escaped, long input shortened. */
    static String preview(byte[] bytes) {
        StringBuilder text = new StringBuilder("\"");
        int shown = Math.min(bytes.length, 64);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.append(bytes.length > shown ? "\"... (" + bytes.length + " bytes)" : "\"").toString();
    }

    /** A malformed argument inside a typed parser; carries the reply reason. */
    private static final class ArgumentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ArgumentException(String reason) {
            super(reason, null, false, false);
        }
    }
}
