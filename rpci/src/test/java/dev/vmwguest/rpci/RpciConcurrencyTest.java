package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One client shared by many threads: every reply belongs to its own request, channels stay bounded. */
class RpciConcurrencyTest {

    private static final int THREADS = 16;
    private static final int ROUNDS = 200;
    /** The figure for the main test: 16 threads x 5,000 set/get pairs. */
    private static final int SET_GET_ROUNDS = 5_000;

    private final SimulatedHost host = SimulatedHost.create();

    @ParameterizedTest(name = "maxChannels = {0}")
    @ValueSource(ints = {1, 4})
    @Timeout(60)
    void sixteenThreadsEachSeeOnlyTheirOwnValues(int maxChannels) throws Exception {
        RpciClient rpci = RpciClient.open(TransportSelector.over(host), RpciOptions.defaults().withMaxChannels(maxChannels));
        ChannelWatch watch = new ChannelWatch(host);
        Queue<String> wrong = new ConcurrentLinkedQueue<>();

        run(thread -> {
            String key = "thread" + thread;
            for (int round = 0; round < SET_GET_ROUNDS; round++) {
                String value = "value of " + thread + " in round " + round;
                rpci.guestInfo().set(key, value);
                String read = rpci.guestInfo().get(key).orElse("<missing>");
                if (!read.equals(value)) {
                    wrong.add(key + ": wrote '" + value + "', read '" + read + "'");
                }
            }
        });
        watch.stop();
        rpci.close();

        assertThat(wrong).isEmpty();
        for (int thread = 0; thread < THREADS; thread++) {
            assertThat(host.guestInfo().get("thread" + thread)).contains("value of " + thread + " in round " + (SET_GET_ROUNDS - 1));
        }
        assertThat(host.calls().rpci("info-set")).isEqualTo(THREADS * SET_GET_ROUNDS);
        assertThat(host.calls().rpci("info-get")).isEqualTo(THREADS * SET_GET_ROUNDS);
        assertThat(watch.highest()).isBetween(1, maxChannels);
        assertThat(host.calls().opens()).isBetween(1L, (long) maxChannels);
        assertThat(host.calls().violations()).isZero();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    @Timeout(60)
    void repliesNeverCrossBetweenThreadsOnOneChannel() throws Exception {
        host.rpci().handle("app.echo", RpciResult::ok);
        RpciClient rpci = RpciClient.open(TransportSelector.over(host));
        Queue<String> wrong = new ConcurrentLinkedQueue<>();

        run(thread -> {
            for (int round = 0; round < ROUNDS; round++) {
                String text = thread + "/" + round + "/" + "x".repeat(thread * 7 + round % 13);
                String echoed = rpci.call("app.echo " + text);
                if (!echoed.equals(text)) {
                    wrong.add(text + " came back as " + echoed);
                }
            }
        });
        rpci.close();

        assertThat(wrong).isEmpty();
        assertThat(host.calls().rpci("app.echo")).isEqualTo(THREADS * ROUNDS);
        assertThat(host.calls().opens()).isOne();
    }

    @Test
    @Timeout(60)
    void threadsRecoverTogetherFromHostResetsThatKillEveryPooledChannel() throws Exception {
        RpciClient rpci = RpciClient.open(TransportSelector.over(host), RpciOptions.defaults().withMaxChannels(4));
        CyclicBarrier resets = new CyclicBarrier(THREADS, host::resetHost);   // while no command is in flight
        ChannelWatch watch = new ChannelWatch(host);
        Queue<String> wrong = new ConcurrentLinkedQueue<>();

        run(thread -> {
            for (int round = 0; round < ROUNDS; round++) {
                if (round % 50 == 49) {
                    resets.await(30, TimeUnit.SECONDS);
                }
                String value = thread + ":" + round;
                rpci.guestInfo().set("t" + thread, value);
                String read = rpci.guestInfo().get("t" + thread).orElse("<missing>");
                if (!read.equals(value)) {
                    wrong.add(read + " instead of " + value);
                }
            }
        });
        watch.stop();
        rpci.close();

        assertThat(wrong).isEmpty();
        assertThat(host.calls().rpci("info-set")).isEqualTo(THREADS * ROUNDS);   // no reset reached a delivered command
        assertThat(host.calls().opens()).isGreaterThanOrEqualTo(5);               // at least one new channel per reset
        assertThat(watch.highest()).isBetween(1, 4);
        assertThat(host.openChannels()).isZero();
    }

    /** Runs {@code body} on {@link #THREADS} threads started together; rethrows the first failure. */
    private static void run(ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int id = thread;
                results.add(pool.submit(() -> {
                    start.await();
                    body.run(id);
                    return null;
                }));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> result : results) {
                try {
                    result.get(50, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            // a thread that failed breaks the barrier for the others: report the failure, not the symptom
            failures.sort(Comparator.comparing(f -> f instanceof BrokenBarrierException));
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " of " + THREADS + " threads failed", failures.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Samples the host's open channels while the threads run. */
    private static final class ChannelWatch {
        private final AtomicInteger highest = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread sampler;

        ChannelWatch(SimulatedHost host) {
            sampler = new Thread(() -> {
                while (!stop.get()) {
                    highest.accumulateAndGet(host.openChannels(), Math::max);
                    Thread.yield();
                }
            });
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() throws InterruptedException {
            stop.set(true);
            sampler.join();
        }

        int highest() {
            return highest.get();
        }
    }
}
