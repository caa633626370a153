package dev.vmwguest.cli;

import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows what detection saw and which transport each channel would use, without touching any I/O port. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Show what CPUID detection saw, whether the backdoor may be used, and which transport RPCI "
                + "and TCLO would use under the transport policy (vmwguest.transport) and why.",
                "Touches no I/O port and connects nowhere: vsock is checked by creating a socket, never by binding "
                        + "or connecting it.",
                "Exit code 0 when the backdoor is usable, 3 when it is not."})
final class DetectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BackdoorDetection seen = Backdoors.detect();
        TransportSelector transports = TransportSelector.forThisProcess(TransportPolicy.fromEnvironment());
        PrintWriter out = spec.commandLine().getOut();
        out.println(format(seen));
        out.println(formatTransports(transports.policy(), transports.plan(RpcProtocol.RPCI),
                transports.plan(RpcProtocol.TCLO)));
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

    /** The policy, then per channel the transport it would use and each refusal before it. */
    static String formatTransports(TransportPolicy policy, TransportSelection rpci, TransportSelection tclo) {
        List<String> lines = new ArrayList<>();
        lines.add("transports:  " + policy + " (" + TransportPolicy.PROPERTY + ")");
        for (TransportSelection selection : List.of(rpci, tclo)) {
            lines.add(String.format("%-13s%s", selection.protocol() + ":",
                    selection.chosen().map(kind -> kind.configName()).orElse("none")));
            for (TransportRefusal refusal : selection.refusals()) {
                lines.add("  not " + refusal.kind() + " (" + refusal.reason() + "): " + refusal.message());
            }
        }
        return String.join(System.lineSeparator(), lines);
    }
}
