package dev.vmwguest.cli;

import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.backdoor.HostTime;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the facts the host reports through the backdoor's own commands. */
@Command(name = "host", mixinStandardHelpOptions = true,
        description = "Show the host's VMware version and product, its clock (and the guest clock's offset), "
                + "the BIOS UUID and the CPU speed.")
final class HostCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HostInfo info = HostInfo.query(HostOptions.of(spec).connect().backdoor());
        PrintWriter out = spec.commandLine().getOut();
        out.println(format(info, Instant.now()));
        out.flush();
        return ExitCodes.OK;
    }

    static String format(HostInfo info, Instant guestNow) {
        return String.join(System.lineSeparator(),
                "version:     " + info.version().version(),
                "product:     " + info.version().productType(),
                "host time:   " + info.time().map(t -> describe(t, guestNow)).orElse("not reported"),
                "BIOS UUID:   " + info.biosUuid().map(Object::toString).orElse("not reported"),
                "CPU MHz:     " + (info.cpuMhz().isPresent() ? Integer.toString(info.cpuMhz().getAsInt())
                        : "not reported"));
    }

    private static String describe(HostTime time, Instant guestNow) {
        Duration offset = Duration.between(time.time(), guestNow);
        return time.time() + " (guest clock " + (offset.isNegative() ? "behind by " + offset.negated()
                : "ahead by " + offset) + ", host lag up to " + time.maxLag() + ")";
    }
}
