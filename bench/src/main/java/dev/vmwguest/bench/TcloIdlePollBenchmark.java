package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
 * The client-side cost of one idle TCLO poll, the thing {@code TcloEvents}
 * does up to ten times a second at rest: an empty send and a receive that
 * finds nothing. The channel is attached first ({@code reset} answered with
 * {@code OK ATR}), as the poll loop's would be.
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
