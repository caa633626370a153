package dev.vmwguest.tclo;

import dev.vmwguest.rpci.PowerState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One command from the host, parsed from its exact wire string
 * (shared/protocol/tclo.md section 5). Every name the fact sheet lists for a
 * server guest has a record; anything else (desktop, VIX, HGFS, binary
 * commands) arrives as {@link Unknown} with its raw arguments.
 *
 * <pre>{@code
 * TcloCommand command = TcloCommand.parse("Set_Option synctime 1".getBytes(StandardCharsets.US_ASCII));
 * if (command instanceof TcloCommand.SetOption option) {
 *     System.out.println(option.name() + " = " + option.value());   // synctime = 1
 * }
 * }</pre>
 *
 * <p>Java 17 cannot switch over a sealed type; use an {@code instanceof}
 * chain, or subscribe by class with {@link TcloEvents#subscribe(Class, TcloHandler)}.
 */
public sealed interface TcloCommand {

    /**
     * The command name on the wire, e.g. {@code Set_Option}; matching is exact and case-sensitive.
     *
     * @return the command name on the wire
     */
    String commandName();

    /**
     * Parses one host message. Pure. Trailing NULs are ignored (some hosts
     * terminate commands with one); the name is the first space-delimited
     * token and the arguments are the bytes after the one space that follows
     * it.
     *
     * @param message what went wrong, in words for the user
     * @return the command the message names, {@link Unknown} for names this library does not model
     * @throws TcloFormatException if the message is blank, or a known command's arguments are malformed;
     *         its {@link TcloFormatException#reply()} is the answer the host expects
     */
    static TcloCommand parse(byte[] message) {
        return TcloParser.parse(message);
    }

    /** {@code reset}: the host (re)attaches; answered {@code OK ATR <app>}. */
    record Reset() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "reset";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code ping}: the host checks the guest is alive; answered {@code OK }. */
    record Ping() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "ping";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code Capabilities_Register}: the host asks for the guest's capabilities and tools version (over RPCI). */
    record CapabilitiesRegister() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "Capabilities_Register";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /**
     * {@code Set_Option <name> <value>}: a host setting, e.g. {@code synctime 1}.
     *
     * @param name  the option name (first token)
     * @param value everything after the one space that follows the name; never empty
     */
    record SetOption(String name, String value) implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "Set_Option";

        /**
         * Validates the components.
         *
         * @param name the option's name, such as {@code synctime}
         * @param value its new value
         */
        public SetOption {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /**
     * A power operation: {@code OS_Halt}, {@code OS_Reboot}, {@code OS_PowerOn},
     * {@code OS_Resume} or {@code OS_Suspend}. The application's handler decides;
     * {@link TcloEvents} then reports the outcome with
     * {@code tools.os.statechange.status}. The library never halts or reboots
     * the machine itself.
     *
     * @param state the state the host asks for
     */
    record PowerOperation(PowerState state) implements TcloCommand {

        /**
         * Validates the components.
         *
         * @param state the power operation asked for
         */
        public PowerOperation {
            Objects.requireNonNull(state, "state");
        }

        @Override
        public String commandName() {
            return nameOf(state);
        }

        /**
         * The wire name of the command that asks for {@code state}, e.g. {@code OS_Halt}.
         *
         * @param state the power operation
         * @return the command name
         */
        public static String nameOf(PowerState state) {
            return switch (state) {
                case HALT -> "OS_Halt";
                case REBOOT -> "OS_Reboot";
                case POWER_ON -> "OS_PowerOn";
                case RESUME -> "OS_Resume";
                case SUSPEND -> "OS_Suspend";
            };
        }
    }

    /**
     * {@code Time_Synchronize <0|1>}: synchronise the guest clock with the host now.
     *
     * @param allowBackward whether the clock may be stepped backwards ({@code 1})
     */
    record TimeSynchronize(boolean allowBackward) implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "Time_Synchronize";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code TimeInfo_Update}: the host's precision-clock information changed (Linux guests). */
    record TimeInfoUpdate() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "TimeInfo_Update";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /**
     * {@code vmbackup.start [<0|1> [<volume>...]]}: quiesce for a snapshot.
     *
     * @param generateManifests whether to write backup manifests (absent means no)
     * @param volumes           the volume ids to quiesce; empty means all
     */
    record BackupStart(boolean generateManifests, List<String> volumes) implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "vmbackup.start";

        /**
         * Copies the volume list.
         *
         * @param generateManifests whether the host asked for backup manifests
         * @param volumes the volumes to back up, empty for all
         */
        public BackupStart {
            volumes = List.copyOf(volumes);
        }

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code vmbackup.abort}: abandon the quiesce operation in progress. */
    record BackupAbort() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "vmbackup.abort";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code vmbackup.snapshotDone}: the host took the snapshot; thaw. */
    record BackupSnapshotDone() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "vmbackup.snapshotDone";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code vmbackup.snapshotCompleted}: the snapshot operation finished on the host. */
    record BackupSnapshotCompleted() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "vmbackup.snapshotCompleted";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code deployPkg.begin}: answer {@code OK <temporary directory>} for a customization package. */
    record DeployPackageBegin() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "deployPkg.begin";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /**
     * {@code deployPkg.deploy <file>}: run the customization package the host copied in.
     *
     * @param packageFile the package path in the guest
     */
    record DeployPackageDeploy(String packageFile) implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "deployPkg.deploy";

        /**
         * Validates the components.
         *
         * @param packageFile the package's path in the guest, not blank
         */
        public DeployPackageDeploy {
            Objects.requireNonNull(packageFile, "packageFile");
        }

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /** {@code vmsupport.start}: collect a vm-support bundle. */
    record VmSupportStart() implements TcloCommand {
        /** The wire name. */
        public static final String NAME = "vmsupport.start";

        @Override
        public String commandName() {
            return NAME;
        }
    }

    /**
     * Any other command: its name and its raw argument bytes (which may be
     * binary: VIX, HGFS, XDR). Unhandled, it is answered
     * {@code ERROR Unknown Command}.
     *
     * @param name      the command name
     * @param arguments the bytes after the space that follows the name (trailing NULs removed)
     */
    record Unknown(String name, byte[] arguments) implements TcloCommand {

        /**
         * Copies the arguments.
         *
         * @param name the command's wire name
         * @param arguments the bytes after the name's space, unparsed
         */
        public Unknown {
            Objects.requireNonNull(name, "name");
            arguments = arguments.clone();
        }

        @Override
        public String commandName() {
            return name;
        }

        /**
         * A copy of the argument bytes.
         *
         * @return a copy of the argument bytes
         */
        @Override
        public byte[] arguments() {
            return arguments.clone();
        }

        /**
         * The arguments as UTF-8 text (malformed bytes replaced).
         *
         * @return the arguments as UTF-8 text (malformed bytes replaced)
         */
        public String argumentText() {
            return new String(arguments, StandardCharsets.UTF_8);
        }

        /** Equal when name and argument bytes are. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Unknown u && u.name.equals(name) && Arrays.equals(u.arguments, arguments);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(arguments);
        }

        @Override
        public String toString() {
            return "Unknown[name=" + name + ", arguments=" + TcloParser.preview(arguments) + "]";
        }
    }
}
