package dev.vmwguest.cli;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.tclo.TcloEvents;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tclo listen}: acts as the guest tools for one app name and prints what the host asks. */
@Command(name = "tclo", mixinStandardHelpOptions = true,
        description = "Host -> guest commands (TCLO).", subcommands = TcloListenCommand.Listen.class)
final class TcloListenCommand {

    /** Prints each command as it arrives, with the reply the library's defaults gave it. */
    @Command(name = "listen", mixinStandardHelpOptions = true,
            description = {"Attach as the guest tools for APP and print each host command and its reply.",
                    "Answers with the library's defaults: it never halts or reboots this machine.",
                    "Do not use the app name 'toolbox' where VMware Tools (vmtoolsd) runs: the two would fight."})
    static final class Listen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--app", defaultValue = TcloEvents.TOOLBOX, paramLabel = "APP",
                description = "The TCLO app name to attach as (default: ${DEFAULT-VALUE}).")
        String app;

        @Option(names = "--count", defaultValue = "0", paramLabel = "N",
                description = "Stop after N commands (the attach handshake's reset counts); 0 listens until killed.")
        int count;

        @Option(names = "--send", paramLabel = "COMMAND",
                description = "With --simulate: a command the simulated host sends once attached (repeatable).")
        List<String> toSend = new ArrayList<>();

        @Override
        public Integer call() throws InterruptedException {
            if (!toSend.isEmpty() && !HostOptions.of(spec).simulate()) {
                throw new ParameterException(spec.commandLine(), "--send needs --simulate: only a simulated host "
                        + "can be told what to send");
            }
            if (count < 0) {
                throw new ParameterException(spec.commandLine(), "--count must be 0 or more: " + count);
            }
            HostConnection connection = HostOptions.of(spec).connect();
            PrintWriter out = spec.commandLine().getOut();
            CountDownLatch remaining = new CountDownLatch(count == 0 ? 1 : count);
            try (TcloEvents events = TcloEvents.builder(app).transports(TransportSelector.over(connection.backdoor())).build()) {
                events.observe((command, reply) -> {
                    out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + "  " + command + "  -> "
                            + reply.toString().stripTrailing());
                    out.flush();
                    if (count > 0) {
                        remaining.countDown();
                    }
                });
                events.start();
                connection.simulator().ifPresent(host -> queue(host, toSend));
                spec.commandLine().getErr().println(waitingFor(app, count, HostOptions.of(spec).simulate(), toSend.size()));
                spec.commandLine().getErr().flush();
                remaining.await();
            }
            return ExitCodes.OK;
        }

        /** What the command waits for, so that a silent terminal is never a mystery. */
        static String waitingFor(String app, int count, boolean simulated, int queued) {
            String until = count == 0 ? "until interrupted (Ctrl-C)" : "until " + count + " commands have arrived";
            String host = !simulated ? "the VMware host"
                    : queued == 0 ? "the simulated host, which sends only the attach handshake's reset unless "
                            + "given commands with --send"
                    : "the simulated host (" + queued + " command" + (queued == 1 ? "" : "s") + " queued with --send)";
            return "vmwguest: listening as TCLO app '" + app + "' for commands from " + host + "; " + until;
        }

        private static void queue(SimulatedHost host, List<String> commands) {
            for (String command : commands) {
                host.tclo().send(command).orTimeout(30, TimeUnit.SECONDS);
            }
        }
    }
}
