package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciOptions;
import dev.vmwguest.rpci.RpciReply;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code RpciClient.send("info-get guestinfo.bench")} with a stored value of
 * {@code size} bytes, from one thread and from four threads sharing one
 * client, with the client's pool capped at {@code maxChannels}: 1 is "one
 * channel under a lock", 4 is "a pool as large as the thread count". This is
 * the benchmark behind the concurrency strategy documented on
 * {@link RpciClient}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RpciClientBenchmark {

    static final String KEY = "guestinfo.bench";

    @Param({"16", "1024", "65536"})
    int size;

    @Param({"1", "4"})
    int maxChannels;

    private SimulatedHost host;
    private RpciClient client;

    @Setup(Level.Trial)
    public void open() {
        host = BenchHosts.zeroCostWithEcho();
        host.guestInfo().put(KEY, BenchHosts.payload(size));
        client = RpciClient.open(TransportSelector.over(host), RpciOptions.defaults().withMaxChannels(maxChannels));
        RpciReply reply = client.send("info-get " + KEY);
        if (!reply.success() || reply.text().getBytes(StandardCharsets.UTF_8).length != size) {
            throw new IllegalStateException("the host did not answer the stored value: " + reply);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    @Benchmark
    @Threads(1)
    public RpciReply infoGetOneThread() {
        return client.send("info-get " + KEY);
    }

    @Benchmark
    @Threads(4)
    public RpciReply infoGetFourThreads() {
        return client.send("info-get " + KEY);
    }
}
