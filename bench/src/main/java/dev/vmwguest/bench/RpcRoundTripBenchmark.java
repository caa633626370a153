package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.HighBandwidthPolicy;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcProtocol;
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
 * One GuestRPC message and its reply on an open channel ({@link RpcChannel#call}),
 * request and reply both {@code size} bytes, against the zero-cost simulated
 * host. {@code AUTO} uses high bandwidth (the host offers it), {@code NEVER}
 * moves 4 bytes per backdoor call.
 *
 * <p>{@code host=simulated} measures the client plus the simulator (which
 * parses the command, runs the handler and builds the reply: most of the
 * allocation); {@code host=replay} answers from a recording of the same
 * exchange ({@link ReplayBackdoor}), so time and bytes per operation are the
 * client's own. A real host adds one VM exit per backdoor call (counted by
 * {@link CallsPerOperation}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RpcRoundTripBenchmark {

    @Param({"16", "1024", "65536"})
    int size;

    @Param({"AUTO", "NEVER"})
    HighBandwidthPolicy highBandwidth;

    @Param({"simulated", "replay"})
    String host;

    private RpcChannel channel;
    private byte[] request;

    @Setup(Level.Trial)
    public void open() {
        SimulatedHost simulated = BenchHosts.zeroCostWithEcho();
        ReplayBackdoor replay = new ReplayBackdoor(simulated);
        // 65536 bytes is the whole message: the default send limit and the host's, exactly.
        RpcChannelOptions options = RpcChannelOptions.defaults().withHighBandwidth(highBandwidth);
        channel = RpcChannel.open(host.equals("replay") ? replay : simulated, RpcProtocol.RPCI, options);
        request = BenchHosts.echoRequest(size);
        if (host.equals("replay")) {
            channel.call(request);
            replay.restartRecording();
            channel.call(request);
            replay.replay();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (host.equals("simulated")) {
            channel.close(); // a replayed channel has no CLOSE in its recording
        }
    }

    /** The reply is {@code "1 "} and the echoed arguments: {@code size - 3} bytes. */
    @Benchmark
    public byte[] roundTrip() {
        return channel.call(request);
    }
}
