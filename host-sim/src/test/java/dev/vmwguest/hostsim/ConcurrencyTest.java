package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 32 guest threads, each on its own channel, 1,000 round trips each: nothing lost or mixed. */
class ConcurrencyTest {

    private static final int THREADS = 32;
    private static final int ROUND_TRIPS = 1_000;

    @Test
    @Timeout(120)
    void thirtyTwoThreadsOnTheirOwnChannelsLoseAndMixNothing() throws Exception {
        SimulatedHost host = SimulatedHost.builder().zeroCost().build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                RawGuest guest = RawGuest.opened(host, RPCI | COOKIE);
                start.await();
                int ok = 0;
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    String value = "t" + thread + "-" + i + "-" + "x".repeat(i % 37);
                    boolean lowBandwidth = i % 3 == 0;
                    if (!guest.rpci("info-set guestinfo.key" + thread + " " + value, lowBandwidth).equals("1 ")) {
                        throw new AssertionError("set failed");
                    }
                    String got = guest.rpci("info-get guestinfo.key" + thread, !lowBandwidth);
                    if (!got.equals("1 " + value)) {
                        throw new AssertionError("thread " + thread + " round " + i + " got " + got);
                    }
                    ok++;
                }
                guest.close();
                return ok;
            }));
        }
        start.countDown();
        for (Future<Integer> result : results) {
            assertThat(result.get(100, TimeUnit.SECONDS)).isEqualTo(ROUND_TRIPS);
        }
        pool.shutdown();

        assertThat(host.calls().violations()).isZero();
        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().rpci("info-get")).isEqualTo((long) THREADS * ROUND_TRIPS);
        assertThat(host.transcript().entries()).isEmpty();
    }
}
