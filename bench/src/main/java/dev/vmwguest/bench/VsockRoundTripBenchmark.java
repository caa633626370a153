package dev.vmwguest.bench;

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

/**
 * {@code RpciClient.send("info-get guestinfo.bench")} over the two transports
 * to the same zero-cost simulated host: vsock (DataMap packets over the
 * Unix-socket stand-in: two system calls and a thread hand-off per direction)
 * against the backdoor (5 calls straight into the simulator). On real
 * hardware the backdoor pays 5 VM exits and vsock the hypervisor's socket
 * path; neither is here, so read this as the client-side cost of each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VsockRoundTripBenchmark {

    @Param({"16", "1024", "65536"})
    int size;

    @Param({"vsock", "backdoor"})
    String transport;

    private VsockBenchHosts hosts;
    private RpciClient client;

    @Setup(Level.Trial)
    public void open() {
        hosts = new VsockBenchHosts(BenchHosts.zeroCostWithEcho());
        hosts.host.guestInfo().put(RpciClientBenchmark.KEY, BenchHosts.payload(size));
        client = RpciClient.open(hosts.selector(transport), RpciOptions.defaults());
        RpciReply reply = client.send("info-get " + RpciClientBenchmark.KEY);
        if (!reply.success() || reply.text().getBytes(StandardCharsets.UTF_8).length != size) {
            throw new IllegalStateException("the host did not answer the stored value: " + reply);
        }
        String chosen = client.transportSelection().orElseThrow().chosen().map(Enum::name).orElse("none");
        if (!chosen.startsWith(transport.equals("vsock") ? "VSOCK" : "BACKDOOR")) {
            throw new IllegalStateException("asked for " + transport + ", the policy chose " + chosen);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
        hosts.close();
    }

    @Benchmark
    public RpciReply infoGet() {
        return client.send("info-get " + RpciClientBenchmark.KEY);
    }
}
