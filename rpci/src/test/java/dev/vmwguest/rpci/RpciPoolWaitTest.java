package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.HostProfile;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcOpenException;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When the host's table is full, a command waits for one of the client's own channels instead of failing. */
class RpciPoolWaitTest {

    private static final int THREADS = 32;
    private static final int SETS_PER_THREAD = 100;

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseBlockedCommands() {
        release.countDown();
    }

    @Test
    @Timeout(120)
    void sixteenChannelsOnAnEightChannelHostServeThirtyTwoThreadsWithoutAFailure() throws Exception {
        SimulatedHost old = SimulatedHost.builder().profile(HostProfile.OLD_ESX).transcript(false).build();
        assertThat(old.channelLimit()).isEqualTo(8);
        RpciClient rpci = RpciClient.open(TransportSelector.over(old), RpciOptions.defaults().withMaxChannels(16));
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger highest = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < SETS_PER_THREAD; round++) {
                        rpci.guestInfo().set("t" + id, "round " + round);
                        highest.accumulateAndGet(old.openChannels(), Math::max);
                    }
                } catch (Throwable failure) {
                    failures.add(failure);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(100));
        }
        rpci.close();

        assertThat(failures).isEmpty();
        assertThat(old.calls().rpci("info-set")).isEqualTo(THREADS * SETS_PER_THREAD);
        assertThat(old.guestInfo().get("t31")).contains("round " + (SETS_PER_THREAD - 1));
        assertThat(highest.get()).isBetween(1, 8);
        assertThat(old.openChannels()).isZero();
    }

    @Test
    @Timeout(60)
    void aRefusedOpenWaitsForTheChannelTheClientHolds() throws Exception {
        SimulatedHost one = SimulatedHost.builder().channelLimit(1).build();
        CountDownLatch inside = blockingCommand(one);
        RpciClient rpci = RpciClient.open(TransportSelector.over(one), RpciOptions.defaults().withMaxChannels(2));
        Outcome first = Outcome.start(() -> rpci.call("app.block"));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        Outcome second = Outcome.start(() -> rpci.guestInfo().set("waited", "yes"));
        second.awaitWaiting();
        release.countDown();

        first.assertSucceeded();
        second.assertSucceeded();
        assertThat(one.guestInfo().get("waited")).contains("yes");
        assertThat(one.calls().opens()).as("the first channel, served twice").isOne();
        assertThat(one.calls().of(MessageType.OPEN)).as("one OPEN, then a refused one with its fallback")
                .isEqualTo(3);
        rpci.close();
        assertThat(one.openChannels()).isZero();
    }

    @Test
    void aClientHoldingNoChannelStillFailsWithTheTypedRefusal() {
        SimulatedHost host = SimulatedHost.create();
        RpciClient rpci = RpciClient.open(TransportSelector.over(host), RpciOptions.defaults().withMaxChannels(4));
        host.resetHost();   // the pooled channel is dead: the client holds nothing after the first attempt
        host.faults().refuseOpens(true);

        assertThatThrownBy(() -> rpci.guestInfo().set("k", "v")).isInstanceOfSatisfying(RpcOpenException.class,
                e -> assertThat(e.isRetryable()).isTrue());
        rpci.close();
    }

    @Test
    @Timeout(60)
    void anInterruptEndsTheWaitPromptlyWithATypedErrorAndTheFlagKept() throws Exception {
        SimulatedHost host = SimulatedHost.create();
        CountDownLatch inside = blockingCommand(host);
        RpciClient rpci = RpciClient.open(TransportSelector.over(host));
        Outcome first = Outcome.start(() -> rpci.call("app.block"));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        Outcome waiting = Outcome.start(() -> rpci.guestInfo().set("key", "secret value"));
        waiting.awaitWaiting();
        waiting.thread.interrupt();

        Throwable failure = waiting.awaitFailure();   // while the first command still holds the only channel
        assertThat(failure).isInstanceOf(RpciInterruptedException.class).hasCauseInstanceOf(InterruptedException.class)
                .hasMessageContaining("info-set guestinfo.key").hasMessageNotContaining("secret");
        assertThat(waiting.interruptedAfter).isTrue();
        release.countDown();
        first.assertSucceeded();
        rpci.close();
    }

    @Test
    @Timeout(60)
    void theAcquireTimeoutEndsTheWaitWithATypedErrorNamingIt() throws Exception {
        SimulatedHost host = SimulatedHost.create();
        CountDownLatch inside = blockingCommand(host);
        RpciClient rpci = RpciClient.open(TransportSelector.over(host), RpciOptions.defaults().withAcquireTimeout(
                Duration.ofMillis(50)));
        Outcome first = Outcome.start(() -> rpci.call("app.block"));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        Outcome waiting = Outcome.start(() -> rpci.guestInfo().get("key"));
        Throwable failure = waiting.awaitFailure();

        assertThat(failure).isInstanceOfSatisfying(RpciTimeoutException.class, e -> {
            assertThat(e.timeout()).hasMillis(50);
            assertThat(e.command()).isEqualTo("info-get guestinfo.key");
            assertThat(e.isRetryable()).isTrue();
        }).hasMessageContaining("PT0.05S").hasMessageContaining("acquireTimeout");
        assertThat(waiting.interruptedAfter).isFalse();
        release.countDown();
        first.assertSucceeded();
        assertThat(rpci.guestInfo().get("key")).as("the client works on").isEmpty();
        rpci.close();
    }

    /** The host's {@code app.block}: signals the returned latch, then holds its channel until {@link #release}. */
    private CountDownLatch blockingCommand(SimulatedHost host) {
        CountDownLatch inside = new CountDownLatch(1);
        host.rpci().handle("app.block", args -> {
            inside.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RpciResult.ok("done");
        });
        return inside;
    }

    /** A command on its own thread: its failure, and whether its interrupt flag was set when it ended. */
    private static final class Outcome {
        final Thread thread;
        final CountDownLatch done = new CountDownLatch(1);
        volatile Throwable failure;
        volatile boolean interruptedAfter;

        private Outcome(Runnable command) {
            thread = new Thread(() -> {
                try {
                    command.run();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    interruptedAfter = Thread.currentThread().isInterrupted();
                    done.countDown();
                }
            });
        }

        static Outcome start(Runnable command) {
            Outcome outcome = new Outcome(command);
            outcome.thread.start();
            return outcome;
        }

        /** Until the thread parks for a channel (the pool's condition; nothing else in a command parks). */
        void awaitWaiting() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
                assertThat(System.nanoTime() - deadline).as("thread never waited for a channel").isNegative();
                assertThat(done.getCount()).as("command ended without waiting: " + failure).isOne();
                Thread.sleep(1);
            }
        }

        Throwable awaitFailure() throws InterruptedException {
            assertThat(done.await(30, TimeUnit.SECONDS)).as("the command ended").isTrue();
            assertThat(failure).isNotNull();
            return failure;
        }

        void assertSucceeded() throws InterruptedException {
            assertThat(done.await(30, TimeUnit.SECONDS)).as("the command ended").isTrue();
            assertThat(failure).isNull();
        }
    }
}
