package dev.vmwguest.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
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
        description = "Talk to the VMware host from inside a virtual machine (or to a simulated one).",
        subcommands = {DetectCommand.class, HostCommand.class, RpcCommand.class, GuestInfoCommand.class,
                TcloListenCommand.class, DemoCommand.class, SimCommand.class, CommandLine.HelpCommand.class})
public final class Main {

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
        CommandLine line = new CommandLine(new Main());
        line.registerConverter(Duration.class, Durations::parse);
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler(new OneLineErrors());
        line.setExitCodeExceptionMapper(OneLineErrors::exitCode);
        return line.execute(args);
    }

    GlobalOptions options() {
        return options;
    }
}
