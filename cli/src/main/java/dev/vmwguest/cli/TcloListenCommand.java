package dev.vmwguest.cli;

import dev.vmwguest.hostsim.SimulatedHost;
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
import picocli.CommandLine.Mixin;
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
        @Mixin
        HostOptions options;

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
            if (!toSend.isEmpty() && !options.simulate) {
                throw new ParameterException(spec.commandLine(), "--send needs --simulate: only a simulated host "
                        + "can be told what to send");
            }
            if (count < 0) {
                throw new ParameterException(spec.commandLine(), "--count must be 0 or more: " + count);
            }
            HostConnection connection = options.connect();
            PrintWriter out = spec.commandLine().getOut();
            CountDownLatch remaining = new CountDownLatch(count == 0 ? 1 : count);
            try (TcloEvents events = TcloEvents.builder(connection.backdoor(), app).build()) {
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
                remaining.await();
            }
            return ExitCodes.OK;
        }

        private static void queue(SimulatedHost host, List<String> commands) {
            for (String command : commands) {
                host.tclo().send(command).orTimeout(30, TimeUnit.SECONDS);
            }
        }
    }
}
