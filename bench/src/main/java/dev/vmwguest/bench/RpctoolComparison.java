package dev.vmwguest.bench;

import dev.vmwguest.hostsim.CallCounters;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.trap.TrapLauncher;
import dev.vmwguest.trap.TrapOptions;
import dev.vmwguest.trap.TrapResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code RpciClient.send("info-get guestinfo.k")} against what Java programs do
 * today, {@code new ProcessBuilder("vmware-rpctool", "info-get guestinfo.k")},
 * for the same operation against the same simulated host, in the same run:
 * one child JVM under the trap launcher does both ({@link RpctoolComparisonChild}).
 * Every backdoor access pays the trap's cost (a ptrace round trip, tens of
 * microseconds) instead of a VM exit's, which favours the side making fewer
 * calls; the calls per operation are counted separately so the two effects can
 * be told apart.
 *
 * <p>Not a JMH benchmark: the measured code runs in a traced child process.
 * Arguments: iterations of ours (default 2000), iterations of vmware-rpctool
 * (default 100). Prints a Markdown section.
 */
public final class RpctoolComparison {

    private static final Path RPCTOOL = Path.of("/usr/bin/vmware-rpctool");
    private static final Pattern TIMING = Pattern.compile("(\\w+)\\.ns=(\\d+) \\1\\.n=(\\d+)");

    private RpctoolComparison() {
    }

    public static void main(String[] args) {
        int ours = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int theirs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        if (!TrapLauncher.isSupported()) {
            System.out.println("Skipped: the trap launcher is not supported here ("
                    + TrapLauncher.unsupportedReason().orElse("?") + ").");
            return;
        }
        if (!Files.isExecutable(RPCTOOL)) {
            System.out.println("Skipped: " + RPCTOOL + " is not installed (apt-get install open-vm-tools).");
            return;
        }
        SimulatedHost host = SimulatedHost.builder().transcript(false).build();
        host.guestInfo().put(RpctoolComparisonChild.KEY, RpctoolComparisonChild.EXPECTED);
        Map<String, CallCounters.Snapshot> marks = new ConcurrentHashMap<>();
        host.rpci().handle("bench.mark", phase -> {
            marks.put(new String(phase, StandardCharsets.US_ASCII), host.calls().snapshot());
            return RpciResult.ok("");
        });

        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvmwguest.backdoor=native", "-Dvmwguest.backdoor.force=true",
                "-cp", System.getProperty("java.class.path"), RpctoolComparisonChild.class.getName(),
                RPCTOOL.toString(), Integer.toString(ours), Integer.toString(theirs));
        TrapResult<SimulatedHost> result = TrapLauncher.run(host, command, TrapOptions.defaults()
                .withTimeout(Duration.ofMinutes(10)).withDescendantPrograms(List.of(RPCTOOL)));
        if (!result.succeeded() || !result.hostErrors().isEmpty()) {
            throw new IllegalStateException("the traced child failed (exit " + result.exitCode() + ")\nstdout:\n"
                    + result.stdout() + "\nstderr:\n" + result.stderr() + "\nhost errors: " + result.hostErrors());
        }
        Map<String, double[]> timings = new ConcurrentHashMap<>();
        Matcher m = TIMING.matcher(result.stdout());
        while (m.find()) {
            timings.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
        }
        long markOverhead = between(marks, "empty");
        System.out.println("| per `info-get guestinfo.k` | \u00b5s/op | backdoor calls/op | vs RpciClient |");
        System.out.println("|---|---:|---:|---:|");
        double oursMicros = micros(timings.get("ours"));
        row("`RpciClient.send`, client kept open", oursMicros, oursMicros, calls(marks, "ours", markOverhead,
                timings.get("ours")));
        row("`RpciClient` open + send + close per request", micros(timings.get("oneshot")), oursMicros,
                calls(marks, "oneshot", markOverhead, timings.get("oneshot")));
        row("`ProcessBuilder(\"vmware-rpctool\", \u2026)` per request", micros(timings.get("rpctool")), oursMicros,
                calls(marks, "rpctool", markOverhead, timings.get("rpctool")));
        System.out.println();
        System.out.println("Trapped backdoor calls in the whole run: " + result.trappedCalls() + "; iterations: "
                + ours + " (kept open), " + ours / 4 + " (one-shot), " + theirs + " (vmware-rpctool).");
    }

    private static long between(Map<String, CallCounters.Snapshot> marks, String phase) {
        CallCounters.Snapshot start = marks.get(phase + ".start");
        CallCounters.Snapshot end = marks.get(phase + ".end");
        if (start == null || end == null) {
            throw new IllegalStateException("the child did not mark phase " + phase + ": " + marks.keySet());
        }
        return end.total() - start.total();
    }

    /** Calls per operation in a phase, without the calls of the marks around it. */
    private static double calls(Map<String, CallCounters.Snapshot> marks, String phase, long markOverhead,
            double[] timing) {
        return (between(marks, phase) - markOverhead) / timing[1];
    }

    private static double micros(double[] timing) {
        if (timing == null) {
            throw new IllegalStateException("a phase reported no timing");
        }
        return timing[0] / timing[1] / 1000.0;
    }

    private static void row(String what, double micros, double oursMicros, double calls) {
        System.out.printf("| %s | %.1f | %.2f | %.1f\u00d7 |%n", what, micros, calls, micros / oursMicros);
    }
}
