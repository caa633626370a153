package dev.vmwguest.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vmwguest} command line: a drop-in for {@code vmware-rpctool}
 * plus host facts, guestinfo, TCLO and a self-contained demo.
 *
 * <p>Exit codes: {@value ExitCodes#OK} success, {@value ExitCodes#HOST_SAID_NO}
 * the host answered with failure (as {@code vmware-rpctool} exits),
 * {@value ExitCodes#USAGE} bad arguments, {@value ExitCodes#NO_BACKDOOR} no
 * backdoor on this machine, {@value ExitCodes#CHANNEL_FAILED} the channel
 * failed.
 */
@Command(name = "vmwguest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Talk to the VMware host from inside a virtual machine (or to a simulated one).",
        subcommands = {DetectCommand.class, HostCommand.class, RpcCommand.class, GuestInfoCommand.class,
                TcloListenCommand.class, DemoCommand.class, SimCommand.class, AgentCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        if (!List.of(args).contains("--verbose")) {
            // The library logs state changes at INFO for long-running services; a command line shows only problems.
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. For tests and embedding. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new Main());
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler(new OneLineErrors());
        line.setExitCodeExceptionMapper(OneLineErrors::exitCode);
        return line.execute(args);
    }
}
