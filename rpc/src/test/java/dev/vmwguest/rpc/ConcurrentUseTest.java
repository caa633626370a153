package dev.vmwguest.rpc;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RpcChannel's documented thread contract: a channel carries one message at a
 * time and rejects concurrent use with {@link IllegalStateException} instead
 * of mixing up exchanges; separate channels work in parallel.
 */
@Timeout(60)
class ConcurrentUseTest {

    private final SimulatedHost host = Echo.on(SimulatedHost.builder().transcript(false).build());
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** The host's {@code block} command: signals {@code inside}, then holds the message until {@code release}. */
    private void blockUntil(CountDownLatch inside, CountDownLatch release) {
        host.rpci().handle("block", args -> {
            inside.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RpciResult.ok("done");
        });
    }

    @Test
    void aSecondThreadIsRejectedWhileTheFirstIsInsideAMessage() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        blockUntil(inside, release);
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);

        Future<byte[]> first = threads.submit(() -> channel.call("block".getBytes(US_ASCII)));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        long before = host.calls().total();

        assertThatIllegalStateException().isThrownBy(() -> channel.send(Echo.request(new byte[3])))
                .withMessageContaining("in use by another thread");
        assertThatIllegalStateException().isThrownBy(channel::receive);
        assertThatIllegalStateException().isThrownBy(() -> channel.send(ByteBuffer.allocate(1)));
        assertThat(host.calls().total()).as("rejected before any backdoor call").isEqualTo(before);

        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).asString(US_ASCII).isEqualTo("1 done");
        assertThat(channel.isOpen()).as("the rejection did not harm the channel").isTrue();
        assertThat(channel.call(Echo.request(new byte[] {7}))).containsExactly(7);
        channel.close();
        assertThat(host.calls().violations()).isZero();
    }

    @Test
    void closeFromAnotherThreadLetsTheMessageInFlightFinishAndThenClosesTheChannel() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        blockUntil(inside, release);
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);
        Future<byte[]> first = threads.submit(() -> channel.call("block".getBytes(US_ASCII)));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        long before = host.calls().total();

        Future<?> closing = threads.submit(channel::close);

        closing.get(30, TimeUnit.SECONDS);
        assertThat(host.calls().total()).as("no CLOSE between the message's steps").isEqualTo(before);
        assertThat(channel.isOpen()).as("refuses new messages at once").isFalse();
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).asString(US_ASCII).isEqualTo("1 done");
        assertThat(host.calls().closes()).as("closed by the message's thread when it ended").isEqualTo(1);
        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().violations()).isZero();
        assertThatExceptionOfType(RpcChannelClosedException.class)
                .isThrownBy(() -> channel.call(Echo.request(new byte[] {1})));
        channel.close();
        assertThat(host.calls().closes()).as("idempotent").isEqualTo(1);
    }

    @Test
    void twoThreadsRacingOnOneChannelNeverGetEachOthersReplies() throws Exception {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);
        AtomicInteger rejected = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            byte marker = (byte) ('A' + t);
            workers.add(threads.submit(() -> {
                start.await();
                int answered = 0;
                for (int i = 0; i < 50_000; i++) {
                    byte[] payload = {marker, (byte) i, (byte) (i >>> 8)};
                    try {
                        assertThat(channel.call(Echo.request(payload))).as("thread %c, call %d", marker, i)
                                .isEqualTo(payload);
                        answered++;
                    } catch (IllegalStateException busy) {
                        rejected.incrementAndGet();
                    }
                }
                return answered;
            }));
        }

        start.countDown();
        int answered = 0;
        for (Future<Integer> worker : workers) {
            answered += worker.get(60, TimeUnit.SECONDS);
        }

        assertThat(answered + rejected.get()).isEqualTo(100_000);
        assertThat(channel.isOpen()).isTrue();
        assertThat(host.calls().violations()).as("no request overtook an unread reply").isZero();
        channel.close();
    }

    @Test
    void separateChannelsOnSeparateThreadsWorkInParallel() throws Exception {
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            byte marker = (byte) ('A' + t);
            workers.add(threads.submit(() -> {
                try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI)) {
                    for (int i = 0; i < 2_000; i++) {
                        byte[] payload = {marker, (byte) i, (byte) (i >>> 8), 0};
                        assertThat(channel.call(Echo.request(payload))).isEqualTo(payload);
                    }
                }
                return 2_000;
            }));
        }

        for (Future<Integer> worker : workers) {
            assertThat(worker.get(60, TimeUnit.SECONDS)).isEqualTo(2_000);
        }
        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().violations()).isZero();
    }
}
