package dev.vmwguest.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code vmwguest} command line: a drop-in for {@code vmware-rpctool}
 * plus host facts, guestinfo, TCLO and a self-contained demo.
 *
 * <p>Exit codes: {@value ExitCodes#OK} success, {@value ExitCodes#HOST_SAID_NO}
 * the host answered with failure (as {@code vmware-rpctool} exits),
 * {@value ExitCodes#USAGE} a local problem (bad arguments, unreadable or
 * oversized input, a request too big to send), {@value ExitCodes#NO_BACKDOOR}
 * no backdoor on this machine, {@value ExitCodes#CHANNEL_FAILED} the channel
 * failed.
 */
@Command(name = "vmwguest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Talk to the VMware host from inside a virtual machine (or to a simulated one).")
public final class Main {

    /** Every subcommand, in the order the usage help lists them. */
    private static final List<String> SUBCOMMANDS = List.of("detect", "host", "rpc", "guestinfo", "tclo", "demo",
            "sim", "agent", "help");

    @Mixin
    private final GlobalOptions options = new GlobalOptions();

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its code.
     *
     * @param args the command line, as the shell split it
     */
    public static void main(String[] args) {
        if (!List.of(args).contains("--verbose")) {
            // The library logs state changes at INFO for long-running services; a command line shows only problems.
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams, for tests and embedding.
     *
     * @param args the command line, as the shell split it
     * @param out where the commands' normal output goes
     * @param err where errors and usage messages go
     * @return the exit code, one of those in the class description
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Optional<FastRpc.Line> plainRpc = FastRpc.parse(args);
        if (plainRpc.isPresent()) {
            return FastRpc.run(plainRpc.get(), err);
        }
        CommandLine line = new CommandLine(new Main());
        // picocli builds each command's model by reflection: only the one being run, unless help needs all.
        String chosen = subcommandOf(args);
        for (String name : SUBCOMMANDS.contains(chosen) && !"help".equals(chosen) ? List.of(chosen) : SUBCOMMANDS) {
            line.addSubcommand(name, newSubcommand(name));
        }
        line.registerConverter(Duration.class, Durations::parse);
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler(new OneLineErrors());
        line.setExitCodeExceptionMapper(OneLineErrors::exitCode);
        return line.execute(args);
    }

    /** The first word that is not an option: the subcommand, if the line names one. */
    static String subcommandOf(String[] args) {
        for (String arg : args) {
            if ("--".equals(arg)) {
                return "";
            }
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return "";
    }

    private static Object newSubcommand(String name) {
        // A switch, not a map of constructor references: no lambda bootstrap on the start-up path.
        switch (name) {
            case "detect": return new DetectCommand();
            case "host": return new HostCommand();
            case "rpc": return new RpcCommand();
            case "guestinfo": return new GuestInfoCommand();
            case "tclo": return new TcloListenCommand();
            case "demo": return new DemoCommand();
            case "sim": return new SimCommand();
            case "agent": return new AgentCommand();
            case "help": return new CommandLine.HelpCommand();
            default: throw new IllegalArgumentException("no subcommand " + name);
        }
    }

    GlobalOptions options() {
        return options;
    }
}
