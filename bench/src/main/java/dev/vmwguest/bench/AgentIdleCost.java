package dev.vmwguest.bench;

import dev.vmwguest.agent.GuestAgent;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.trap.TrapLauncher;
import dev.vmwguest.trap.TrapOptions;
import dev.vmwguest.trap.TrapResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The guest agent's idle cost in backdoor calls per minute (nothing changes; the uptime is re-sent
 * every 30 s, TCLO is polled), against Debian's vmtoolsd run under the trap launcher with its
 * defaults on the same simulated host. Both are counted by the simulated host over the same window,
 * after a warm-up that covers attach and the first reports. Prints a Markdown table.
 *
 * <p>Usage: {@code AgentIdleCost [windowSeconds=60] [warmupSeconds=10]}.
 */
public final class AgentIdleCost {

    private AgentIdleCost() {
    }

    public static void main(String[] args) throws Exception {
        int window = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.println("| Guest tools, idle | backdoor calls / minute | window |");
        System.out.println("|---|---:|---:|");
        SimulatedHost agentHost = SimulatedHost.create();
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(agentHost)).start()) {
            double perMinute = measure(agentHost, warmup, window);
            System.out.printf("| vmwguest GuestAgent (defaults: 30 s reports, TCLO idle poll 1 s) | %.0f | %d s |%n",
                    perMinute, window);
        }
        Path vmtoolsd = Path.of("/usr/bin/vmtoolsd");
        if (!TrapLauncher.isSupported() || !Files.isExecutable(vmtoolsd)) {
            System.out.println("| vmtoolsd (open-vm-tools) under the trap | not measured: "
                    + TrapLauncher.unsupportedReason().orElse("vmtoolsd not installed") + " | - |");
            return;
        }
        SimulatedHost toolsHost = SimulatedHost.create();
        Path dir = Files.createTempDirectory("agent-idle-");
        Path stop = dir.resolve("stop");
        String script = vmtoolsd + " -n vmsvc & daemon=$!; while [ ! -e " + stop
                + " ]; do sleep 0.2; done; kill -TERM $daemon; wait $daemon";
        CompletableFuture<TrapResult<SimulatedHost>> run = CompletableFuture.supplyAsync(() -> TrapLauncher.run(toolsHost, 
                List.of("/bin/sh", "-c", script), TrapOptions.defaults().withTimeout(Duration.ofSeconds(warmup + window + 60))));
        double perMinute = measure(toolsHost, warmup, window);
        Files.createFile(stop);
        TrapResult<SimulatedHost> result = run.get(2, TimeUnit.MINUTES);
        System.out.printf("| vmtoolsd 12.2 (Debian) under the trap, defaults (30 s gather, TCLO idle poll 100 ms) | %.0f | %d s |%n",
                perMinute, window);
        if (result.exitCode() != 0) {
            System.out.println("| (vmtoolsd exited with " + result.exitCode() + ") | | |");
        }
    }

    private static double measure(SimulatedHost host, int warmup, int window) throws InterruptedException {
        Thread.sleep(warmup * 1000L);
        long before = host.calls().total();
        long start = System.nanoTime();
        Thread.sleep(window * 1000L);
        long calls = host.calls().total() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        return calls * 60 / seconds;
    }
}
