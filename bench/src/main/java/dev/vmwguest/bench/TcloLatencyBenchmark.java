package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloPolling;
import dev.vmwguest.tclo.TcloReply;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Command-to-handler latency: from the host queueing {@code Set_Option bench 1}
 * to the host holding the guest's {@code OK}, through a running
 * {@link TcloEvents} whose subscriber answers it.
 *
 * <ul>
 *   <li>{@code idle}: the command arrives at a random moment after the loop has
 *       slowed to its steady idle interval (VMware Tools' 100 ms), so the
 *       figure is dominated by the wait for the next poll: expect about half
 *       the interval on average and the whole interval at worst.</li>
 *   <li>{@code busy}: commands back to back; the loop polls again at once after
 *       a command, so this approaches the pipeline's own cost.</li>
 * </ul>
 * Sampled (percentiles), not averaged: the distribution is the point.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TcloLatencyBenchmark {

    @Param({"busy", "idle"})
    String pacing;

    private SimulatedHost host;
    private TcloEvents events;

    @Setup(Level.Trial)
    public void start() {
        host = SimulatedHost.builder().zeroCost().build();
        events = TcloEvents.builder(host, TcloEvents.TOOLBOX).polling(TcloPolling.defaults()).noCapabilities()
                .build();
        events.subscribe(TcloCommand.SetOption.class, option -> TcloReply.ok());
        events.start();
    }

    /** For {@code idle}: let the loop reach its steady interval, then a random phase within it. */
    @Setup(Level.Invocation)
    public void pace() throws InterruptedException {
        if (pacing.equals("idle")) {
            Duration settle = Duration.ofMillis(200 + ThreadLocalRandom.current().nextInt(100));
            Thread.sleep(settle.toMillis());
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        events.close();
    }

    @Benchmark
    public String commandToReply() throws Exception {
        String reply = host.tclo().send("Set_Option bench 1").get(10, TimeUnit.SECONDS);
        if (!reply.startsWith("OK")) {
            throw new IllegalStateException("the subscriber's answer did not arrive: " + reply);
        }
        return reply;
    }
}
