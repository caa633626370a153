package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloPolling;
import dev.vmwguest.tclo.TcloReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Command-to-handler latency: from the host queueing {@code Set_Option} to
 * the host holding the subscriber's {@code OK}, through a running
 * {@link TcloEvents}, for each polling profile: {@code default}
 * ({@link TcloPolling#defaults()} with its quiet period shortened from 10 s
 * to 2 s, so that a sample costs 3 s instead of 11; the intervals are the
 * default's) and {@code vmwareTools} ({@link TcloPolling#vmwareTools()}).
 *
 * <ul>
 *   <li>{@link #afterActivity}: each command arrives 200 to 300 ms after the
 *       previous one, when the loop polls every 100 ms in both profiles.</li>
 *   <li>{@link #idleLoop}: each command arrives 2.5 to 3.5 s after the
 *       previous one, past the quiet period: the default polls once a second
 *       then, VMware Tools' profile still every 100 ms. The figure is
 *       dominated by the wait for the next poll (about half the interval on
 *       average, the whole interval at worst). Sampled: the distribution is
 *       the point.</li>
 *   <li>{@link #queuedBurst}: ten commands already queued while the loop is
 *       busy with an eleventh; the loop polls again at once after each, so the
 *       time per command is the pipeline's own cost (parse, dispatch, handler,
 *       reply, next poll).</li>
 * </ul>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TcloLatencyBenchmark {

    static final int BURST = 10;

    /** A running loop whose {@code gate} option blocks until the benchmark opens it. */
    @State(Scope.Benchmark)
    public static class Loop {
        @Param({"default", "vmwareTools"})
        String profile;
        SimulatedHost host;
        TcloEvents events;
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Setup(Level.Trial)
        public void start() {
            host = SimulatedHost.builder().zeroCost().build();
            TcloPolling polling = profile.equals("default")
                    ? TcloPolling.defaults().withQuietPolling(Duration.ofSeconds(2), Duration.ofSeconds(1))
                    : TcloPolling.vmwareTools();
            events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host)).noCapabilities().polling(polling).build();
            events.subscribe(TcloCommand.SetOption.class, option -> {
                if (option.name().equals("gate")) {
                    gate.await(10, TimeUnit.SECONDS);
                }
                return TcloReply.ok();
            });
            events.start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            events.close();
        }
    }

    /** Before each command shortly after activity: the loop at its 100 ms interval, a random phase within it. */
    @State(Scope.Benchmark)
    public static class ActivePacing {
        @Setup(Level.Invocation)
        public void settle() throws InterruptedException {
            Thread.sleep(200 + ThreadLocalRandom.current().nextInt(100));
        }
    }

    /** Before each idle command: past the (shortened) quiet period, a random phase within the idle interval. */
    @State(Scope.Benchmark)
    public static class IdlePacing {
        @Setup(Level.Invocation)
        public void settle() throws InterruptedException {
            Thread.sleep(2500 + ThreadLocalRandom.current().nextInt(1000));
        }
    }

    /** Before each burst: the loop is held in the gate handler while ten commands are queued behind it. */
    @State(Scope.Benchmark)
    public static class Burst {
        CompletableFuture<String> gateReply;
        final List<CompletableFuture<String>> replies = new ArrayList<>();

        @Setup(Level.Invocation)
        public void queue(Loop loop) throws Exception {
            loop.gate = new CountDownLatch(1);
            gateReply = loop.host.tclo().send("Set_Option gate 1");
            while (loop.host.tclo().pending().contains("Set_Option gate 1")) {
                Thread.onSpinWait(); // until the loop has taken the gate command and is blocked in it
            }
            replies.clear();
            for (int i = 0; i < BURST; i++) {
                replies.add(loop.host.tclo().send("Set_Option burst " + i));
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public String afterActivity(Loop loop, ActivePacing pacing) throws Exception {
        return answered(loop.host.tclo().send("Set_Option active 1"));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public String idleLoop(Loop loop, IdlePacing pacing) throws Exception {
        return answered(loop.host.tclo().send("Set_Option idle 1"));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(BURST)
    public String queuedBurst(Loop loop, Burst burst) throws Exception {
        loop.gate.countDown();
        answered(burst.gateReply);
        String last = "";
        for (CompletableFuture<String> reply : burst.replies) {
            last = answered(reply);
        }
        return last;
    }

    private static String answered(CompletableFuture<String> reply) throws Exception {
        String text = reply.get(10, TimeUnit.SECONDS);
        if (!text.startsWith("OK")) {
            throw new IllegalStateException("the subscriber's answer did not arrive: " + text);
        }
        return text;
    }
}
