package dev.vmwguest.cli;

import dev.vmwguest.agent.AgentSettings;
import dev.vmwguest.agent.FactSources;
import dev.vmwguest.agent.GuestAgent;
import dev.vmwguest.agent.GuestFacts;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Spec;

/** {@code agent}: reports this machine to the host as VMware Tools would, once or as a daemon. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Report host name, addresses, OS and disks to the host as VMware Tools does, and answer",
                "its commands as the guest tools ('toolbox'). For machines WITHOUT vmtoolsd: the two would fight."})
@SuppressWarnings("try")   // the agent runs while the block waits; the block need not name it
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Send every fact once and exit (no TCLO, no daemon).")
    boolean once;

    @Option(names = "--interval", defaultValue = "30s", paramLabel = "DURATION",
            description = "Time between reports, e.g. 30s, 5m, 1h or PT30S (default: ${DEFAULT-VALUE}, as vmtoolsd).")
    String interval;

    @Option(names = "--exclude-nics", paramLabel = "GLOBS", split = ",",
            description = "Interfaces never reported (default: docker*,veth*,virbr*,antrea-*,cali*; '' for none).")
    List<String> excludeNics;

    @Option(names = "--on-halt", paramLabel = "COMMAND",
            description = "Run COMMAND (split at spaces) after acknowledging a host shutdown, e.g. 'systemctl poweroff'.")
    String onHalt;

    @Option(names = "--on-reboot", paramLabel = "COMMAND",
            description = "Run COMMAND (split at spaces) after acknowledging a host restart, e.g. 'systemctl reboot'.")
    String onReboot;

    @Option(names = "--run-for", paramLabel = "DURATION", description = "Stop after DURATION (default: until killed).")
    String runFor;

    @Override
    public Integer call() throws IOException, InterruptedException {
        AgentSettings settings = AgentSettings.defaults().withInterval(duration("--interval", interval));
        if (excludeNics != null) {
            settings = settings.withExcludeNics(excludeNics.stream().filter(s -> !s.isBlank()).toList());
        }
        HostConnection connection = HostOptions.of(spec).connect();
        TransportSelector transports = TransportSelector.over(connection.backdoor());
        PrintWriter out = spec.commandLine().getOut();
        if (once) {
            GuestFacts facts = GuestAgent.reportOnce(transports, FactSources.system(), settings);
            out.println("host name   " + facts.hostName());
            out.println("primary IP  " + (facts.primaryIp().isEmpty() ? "(none)" : facts.primaryIp()));
            out.println("OS          " + facts.os().shortName() + " / " + facts.os().fullName());
            out.println("NICs        " + facts.network().nics().size() + ", routes " + facts.network().routes().size());
            return ExitCodes.OK;
        }
        GuestAgent.Builder builder = GuestAgent.builder().transports(transports).settings(settings);
        if (onHalt != null) {
            builder.onHalt(command(onHalt));
        }
        if (onReboot != null) {
            builder.onReboot(command(onReboot));
        }
        try (GuestAgent agent = builder.start()) {
            out.println("agent running; interval " + settings.interval().toSeconds() + " s");
            out.flush();
            CountDownLatch forever = new CountDownLatch(1);
            if (runFor == null) {
                forever.await();
            } else {
                forever.await(duration("--run-for", runFor).toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return ExitCodes.OK;
    }

    private Duration duration(String option, String text) {
        Duration parsed;
        try {
            parsed = Durations.parse(text);
        } catch (TypeConversionException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
        if (parsed.isZero()) {
            throw new ParameterException(spec.commandLine(), option + " must be positive: " + text);
        }
        return parsed;
    }

    private Runnable command(String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
        PrintWriter err = spec.commandLine().getErr();
        return () -> {
            try {
                new ProcessBuilder(words).inheritIO().start();
            } catch (IOException e) {
                err.println("cannot run " + words + ": " + e.getMessage());
                err.flush();
            }
        };
    }
}
