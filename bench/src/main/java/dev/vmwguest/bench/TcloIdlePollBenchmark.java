package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloPolling;
import dev.vmwguest.tclo.TcloState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The client-side cost of one idle TCLO poll ({@link #idlePoll}): an empty
 * send and a receive that finds nothing, on an attached channel. And how many
 * backdoor calls a running, idle {@code TcloEvents} makes per second
 * ({@link #idleSecond}) with each polling profile: {@code default}
 * ({@link TcloPolling#defaults()}, measured after its 10 s quiet period) and
 * {@code vmwareTools} ({@link TcloPolling#vmwareTools()}). On real hardware
 * each call is a VM exit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TcloIdlePollBenchmark {

    private static final byte[] POLL = new byte[0];

    private SimulatedHost host;
    private RpcChannel channel;

    @Setup(Level.Trial)
    public void attach() {
        host = SimulatedHost.builder().zeroCost().build();
        channel = TcloChannels.attached(host, "toolbox");
    }

    @TearDown(Level.Trial)
    public void close() {
        channel.close();
        if (!host.tclo().pending().isEmpty()) {
            throw new IllegalStateException("commands were queued during an idle benchmark");
        }
    }

    @Benchmark
    public Optional<byte[]> idlePoll() {
        channel.send(POLL);
        return channel.receive();
    }

    /** A running {@code TcloEvents}, attached and then left idle past its quiet period. */
    @State(Scope.Benchmark)
    public static class IdleLoop {
        @Param({"default", "vmwareTools"})
        String profile;
        SimulatedHost host;
        TcloEvents events;

        @Setup(Level.Trial)
        public void startAndGoQuiet() throws InterruptedException {
            host = SimulatedHost.builder().zeroCost().build();
            TcloPolling polling = profile.equals("default") ? TcloPolling.defaults() : TcloPolling.vmwareTools();
            events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host)).noCapabilities().polling(polling).start();
            while (events.state() != TcloState.ATTACHED) {
                Thread.sleep(10);
            }
            Thread.sleep(polling.quietAfter().plus(Duration.ofSeconds(1)).toMillis());
        }

        @TearDown(Level.Trial)
        public void stop() {
            events.close();
        }
    }

    /** Backdoor calls in the measured second: with one operation per iteration, calls per second. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class IdleCalls {
        public long callsPerSecond;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long idleSecond(IdleLoop loop, IdleCalls counter) throws InterruptedException {
        long before = loop.host.calls().total();
        Thread.sleep(1000);
        long calls = loop.host.calls().total() - before;
        counter.callsPerSecond += calls;
        return calls;
    }

    /** Opens and attaches TCLO channels the way the poll loop does. */
    static final class TcloChannels {

        private TcloChannels() {
        }

        /** A TCLO channel on {@code host} that has received {@code reset} and attached as {@code app}. */
        static RpcChannel attached(SimulatedHost host, String app) {
            RpcChannel channel = RpcChannel.open(host, RpcProtocol.TCLO);
            channel.send(POLL);
            String first = channel.receive().map(bytes -> new String(bytes, StandardCharsets.US_ASCII)).orElse("");
            if (!first.equals("reset")) {
                throw new IllegalStateException("expected reset on a fresh TCLO channel, got '" + first + "'");
            }
            channel.send(("OK ATR " + app).getBytes(StandardCharsets.US_ASCII));
            if (channel.receive().isPresent()) {
                throw new IllegalStateException("a command arrived before the benchmark queued any");
            }
            return channel;
        }
    }
}
