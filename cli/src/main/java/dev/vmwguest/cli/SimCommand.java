package dev.vmwguest.cli;

import dev.vmwguest.hostsim.HostHighBandwidthMode;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.trap.TrapLauncher;
import dev.vmwguest.trap.TrapOptions;
import dev.vmwguest.trap.TrapResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sim run -- PROGRAM ...}: an unmodified program against a simulated host, under the trap launcher. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "The simulated VMware host.",
        subcommands = SimCommand.Run.class)
final class SimCommand {

    /** Runs one program with its backdoor accesses answered by a fresh simulated host. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run PROGRAM with its backdoor accesses (in, rep insb/outsb) trapped and answered by a "
                    + "simulated host; its output passes through, a summary and what vSphere would show about the "
                    + "guest (host name, IPs, OS, tools) go to stderr.",
                    "Linux x86-64 only. Example: vmwguest sim run --guestinfo ip=10.0.0.5 -- "
                            + "vmware-rpctool \"info-get guestinfo.ip\"",
                    "Exit code: the program's."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--guestinfo", paramLabel = "KEY=VALUE",
                description = "Preset a guestinfo variable on the host (repeatable; 'guestinfo.' may be omitted).")
        Map<String, String> guestInfo = Map.of();

        @Option(names = "--lb-only", description = "A host that offers no high-bandwidth transfers.")
        boolean lowBandwidthOnly;

        @Option(names = "--trace", paramLabel = "FILE",
                description = "Write the host's transcript of every backdoor call to FILE.")
        Path trace;

        @Option(names = "--tclo-script", paramLabel = "FILE",
                description = "TCLO commands the host queues for the program, one per line ('#' starts a comment); "
                        + "each command's reply is reported at the end.")
        Path tcloScript;

        @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
                description = "Kill the program after this long: 30s, 500ms, 2m or PT2M (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Parameters(arity = "1..*", paramLabel = "PROGRAM", description = "The program and its arguments.")
        List<String> command;

        @Override
        public Integer call() {
            if (!TrapLauncher.isSupported()) {
                throw new UnsupportedOperationException("the trap launcher cannot run here: "
                        + TrapLauncher.unsupportedReason().orElse("unknown reason"));
            }
            SimulatedHost host = SimulatedHost.builder()
                    .highBandwidth(lowBandwidthOnly ? HostHighBandwidthMode.LOW_BANDWIDTH_ONLY : HostHighBandwidthMode.OFFERED)
                    .transcript(trace != null)
                    .build();
            guestInfo.forEach(host.guestInfo()::put);
            Map<String, CompletableFuture<String>> replies = new LinkedHashMap<>();
            for (String line : tcloScript == null ? List.<String>of() : readScript(tcloScript)) {
                replies.put(line, host.tclo().send(line));
            }
            TrapResult<SimulatedHost> result = TrapLauncher.run(host, command, TrapOptions.defaults()
                    .withTimeout(timeout));
            System.out.print(result.stdout());
            System.out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.print(result.stderr());
            err.println(summary(result));
            replies.forEach((line, reply) -> err.println("vmwguest sim: TCLO " + line + " -> "
                    + (reply.isDone() && !reply.isCompletedExceptionally() ? reply.join().stripTrailing()
                            : "(not answered)")));
            err.print(host.guest().format().replace("guest view:", "vmwguest sim: guest view at exit:"));
            err.flush();
            if (trace != null) {
                write(trace, host.transcript().format());
            }
            return result.exitCode();
        }

        static String summary(TrapResult<SimulatedHost> result) {
            String how = result.cpuidFaulting() ? "CPUID trapped" : result.cpuidBreakpoints()
                    ? "CPUID breakpoints in the program" : "no CPUID trapping";
            return "vmwguest sim: exit " + result.exitCode() + (result.timedOut() ? " (timed out)" : "")
                    + "; " + result.trappedCalls() + " backdoor calls answered (low bandwidth "
                    + result.lowBandwidthCalls() + ", high bandwidth out " + result.highBandwidthOut() + ", in "
                    + result.highBandwidthIn() + "); " + how + (result.forcedByEnv() ? ", VMWGUEST_BACKDOOR_FORCE=1"
                    : "") + (result.hostErrors().isEmpty() ? "" : "; host errors: " + result.hostErrors());
        }

        static List<String> readScript(Path file) {
            try {
                return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the TCLO script " + file + ": " + e.getMessage(), e);
            }
        }

        private static void write(Path file, String text) {
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the trace to " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
