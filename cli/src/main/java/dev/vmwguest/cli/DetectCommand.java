package dev.vmwguest.cli;

import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.Backdoors;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows what detection saw, without touching any I/O port. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Show what CPUID detection saw and whether the backdoor may be used. Touches no I/O port.",
                "Exit code 0 when the backdoor is usable, 3 when it is not."})
final class DetectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BackdoorDetection seen = Backdoors.detect();
        PrintWriter out = spec.commandLine().getOut();
        out.println(format(seen));
        out.flush();
        return seen.usable() ? ExitCodes.OK : ExitCodes.NO_BACKDOOR;
    }

    static String format(BackdoorDetection seen) {
        return String.join(System.lineSeparator(),
                "platform:    " + seen.platform(),
                "hypervisor:  " + (seen.hypervisorPresent()
                        ? seen.hypervisorVendor().map(v -> "present, vendor \"" + v + "\"").orElse("present")
                        : "none reported by CPUID"),
                "hypercall:   " + seen.hypercall().name().toLowerCase(java.util.Locale.ROOT),
                "backdoor:    " + (seen.usable() ? "usable" : "not usable") + (seen.forced() ? " (forced)" : ""),
                "why:         " + seen.reason());
    }
}
