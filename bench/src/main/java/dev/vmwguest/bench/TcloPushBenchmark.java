package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.vsock.HostVsockStandIn;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloReply;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TCLO over vsock, where the host pushes commands instead of answering polls
 * (transports.md section 1.5), against the simulated host's vsock side on the
 * Unix-socket stand-in. Sampled, µs.
 *
 * <ul>
 *   <li>{@link #pushedCommandToReply}: from the host queueing
 *       {@code Set_Option} at a random idle moment to the host holding the
 *       subscriber's {@code OK}: to be read next to
 *       {@link TcloLatencyBenchmark#idleLoop}, where the same command waits
 *       for the next poll.</li>
 *   <li>{@link #heartbeatInterval}: the time between two heartbeats as the
 *       host receives them (the guest sends one a second once it has
 *       replied; the host counts a guest silent after missing some).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TcloPushBenchmark {

    private VsockBenchHosts hosts;
    private TcloEvents events;
    private long heartbeatsSeen;

    @Setup(Level.Trial)
    public void start() throws Exception {
        hosts = new VsockBenchHosts(SimulatedHost.builder().zeroCost().build());
        events = TcloEvents.builder(TcloEvents.TOOLBOX).noCapabilities()
                .transports(hosts.selector("vsock")).build();
        events.subscribe(TcloCommand.SetOption.class, option -> TcloReply.ok());
        events.start();
        // The first reply starts the heartbeat.
        answered(hosts.host.tclo().send("Set_Option warmup 1").get(30, TimeUnit.SECONDS));
        if (hosts.standIn.connections(HostVsockStandIn.TCLO_PORT).isEmpty()) {
            throw new IllegalStateException("TCLO did not come over vsock: " + events.transportSelection());
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        events.close();
        hosts.close();
    }

    /** A random idle moment, away from the previous command. */
    @State(Scope.Benchmark)
    public static class IdlePacing {
        @Setup(Level.Invocation)
        public void settle() throws InterruptedException {
            Thread.sleep(20 + ThreadLocalRandom.current().nextInt(30));
        }
    }

    /** Starts each measured interval on a heartbeat's arrival. */
    @State(Scope.Benchmark)
    public static class OnAHeartbeat {
        @Setup(Level.Invocation)
        public void synchronize(TcloPushBenchmark benchmark) throws InterruptedException {
            benchmark.heartbeatsSeen = benchmark.nextHeartbeat(benchmark.hosts.standIn.heartbeats());
        }
    }

    @Benchmark
    public String pushedCommandToReply(IdlePacing pacing) throws Exception {
        return answered(hosts.host.tclo().send("Set_Option bench 1").get(10, TimeUnit.SECONDS));
    }

    @Benchmark
    public long heartbeatInterval(OnAHeartbeat start) throws InterruptedException {
        return nextHeartbeat(heartbeatsSeen);
    }

    /** Waits for the host's heartbeat count to pass {@code seen}; 1 ms resolution is plenty at 1 s. */
    long nextHeartbeat(long seen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long now;
        while ((now = hosts.standIn.heartbeats()) <= seen) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no heartbeat for 10 s");
            }
            Thread.sleep(1);
        }
        return now;
    }

    private static String answered(String reply) {
        if (!reply.startsWith("OK")) {
            throw new IllegalStateException("the subscriber's answer did not arrive: " + reply);
        }
        return reply;
    }
}
