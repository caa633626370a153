package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.PowerState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way the TCLO thread can end, and what {@code state()} says when it
 * has; waits use the injectable {@link LoopClock}, so nothing here sleeps.
 */
class TcloLoopEndingTest {

    private final FakeTcloHost host = new FakeTcloHost();
    private final CountingLogger.Changes changes = new CountingLogger.Changes();
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final VirtualClock clock = new VirtualClock();
    private TcloEvents events;

    /** Virtual time: a park advances it by what was asked, unless the interrupt flag is set (as parkNanos). */
    static final class VirtualClock implements LoopClock {
        final List<Long> parks = new CopyOnWriteArrayList<>();
        volatile long parksWhileInterrupted;
        private volatile long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void park(Object blocker, long nanos) {
            if (Thread.currentThread().isInterrupted()) {
                parksWhileInterrupted++;   // LockSupport.parkNanos would return at once: a busy spin
                Thread.onSpinWait();
                return;
            }
            parks.add(nanos);
            now += nanos;
            Thread.yield();
        }
    }

    private TcloEventsBuilder builder() {
        return TcloEvents.builder("toolbox").transports(TransportSelector.over(TcloEventsTest.NO_BACKDOOR))
                .connections(host).rpciSender(new FakeTools())
                .hostClock(Optional::empty).logger(new CountingLogger()).listener(changes).loopClock(clock)
                .threadFactory(runnable -> {
                    Thread t = new Thread(runnable, "tclo-under-test");
                    t.setDaemon(true);
                    thread.set(t);
                    return t;
                });
    }

    @AfterEach
    void closeEvents() {
        if (events != null) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), events::close);
        }
    }

    static Stream<Arguments> endings() {
        InternalError broken = new InternalError("JVM broken");
        return Stream.of(
                ending("close() from another thread", TcloState.CLOSED, (t, e) -> e.close()),
                ending("close() from a handler", TcloState.CLOSED, (t, e) -> t.host.send("Set_Option close 1")),
                ending("the host refuses every reopen", TcloState.FAILED, (t, e) -> {
                    t.host.refuseOpens(true);
                    t.host.failNextCalls(1);
                }),
                ending("another process holds the app name", TcloState.CONFLICT,
                        (t, e) -> t.host.resetOnEveryPoll(true)),
                ending("fatal error in a handler", TcloState.FAILED, (t, e) -> t.host.send("Set_Option fatal 1")),
                ending("fatal error in an observer", TcloState.FAILED, (t, e) -> {
                    e.observe((c, r) -> {
                        throw broken;
                    });
                    t.host.send("ping");
                }),
                ending("fatal error in a policy listener", TcloState.FAILED, (t, e) -> {
                    e.onTimeSyncPolicy(p -> {
                        throw broken;
                    });
                    t.host.send("Set_Option synctime 1");
                }),
                ending("fatal error in a power action", TcloState.FAILED, (t, e) -> {
                    e.onPowerOperation(PowerState.SUSPEND, s -> {
                        throw broken;
                    });
                    t.host.send("OS_Suspend");
                }),
                ending("fatal error in the state listener", TcloState.FAILED, (t, e) -> {
                    t.listenerFailure.set(broken);
                    t.host.failNextCalls(1);   // RECOVERING: the listener throws
                }),
                ending("fatal error from the channel", TcloState.FAILED, (t, e) -> t.openFailure.set(broken)));
    }

    final AtomicReference<Error> listenerFailure = new AtomicReference<>();
    final AtomicReference<Error> openFailure = new AtomicReference<>();

    private static Arguments ending(String how, TcloState expected, Trigger trigger) {
        return Arguments.of(how, expected, trigger);
    }

    @FunctionalInterface
    interface Trigger {
        void fire(TcloLoopEndingTest test, TcloEvents events) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endings")
    void theThreadNeverEndsWithoutAFinalState(String how, TcloState expected, Trigger trigger) throws Exception {
        Consumer<TcloStateChange> listener = change -> {
            changes.accept(change);
            Error failure = listenerFailure.get();
            if (failure != null && change.current() == TcloState.RECOVERING) {
                throw failure;
            }
        };
        events = builder().listener(listener).conflictResets(2).polling(TcloPolling.defaults().withMaxFailures(3))
                .connections(() -> {
                    Error failure = openFailure.get();
                    if (failure != null) {
                        throw failure;
                    }
                    return host.get();
                }).build();
        events.subscribe(TcloCommand.SetOption.class, option -> {
            if (option.name().equals("close")) {
                events.close();
            } else if (option.name().equals("fatal")) {
                throw new InternalError("JVM broken");
            }
            return TcloReply.ok();
        });
        events.start();
        host.send("ping").get(10, TimeUnit.SECONDS);
        if (how.equals("fatal error from the channel")) {
            host.failNextCalls(1);
        }

        trigger.fire(this, events);
        thread.get().join(TimeUnit.SECONDS.toMillis(30));

        assertThat(thread.get().isAlive()).as("the loop thread ended").isFalse();
        assertThat(events.state()).as(how).isEqualTo(expected);
        assertThat(changes.states()).last().isEqualTo(expected);
        if (expected == TcloState.FAILED && how.startsWith("fatal")) {
            assertThat(changes.all.get(changes.all.size() - 1).cause()).get()
                    .satisfies(cause -> assertThat(cause.getCause()).isInstanceOf(InternalError.class));
            assertThat(host.channelOpen()).as("the channel is closed").isFalse();
        }
    }

    @Test
    void aHandlerThatLeavesItsInterruptFlagSetDoesNotMakeTheIdleLoopSpin() throws Exception {
        events = builder().build();
        events.subscribe(TcloCommand.Ping.class, ping -> {
            Thread.currentThread().interrupt();   // the usual catch (InterruptedException e) { interrupt(); }
            return TcloReply.ok();
        });
        events.start();

        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
        int receives = host.receives();
        TcloEventsTest.waitFor(() -> host.receives() >= receives + 20);

        assertThat(clock.parksWhileInterrupted).as("waits that returned at once because of the flag").isZero();
        assertThat(clock.parks.size()).as("one wait per idle poll").isLessThanOrEqualTo(host.receives());
    }

    @Test
    void theFirstReopenAfterAFailureWaitsOneSecondAndTheWaitGrows() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        // VMware Tools' idle timing keeps idle waits at 100 ms or less, so every wait of 1 s or more is a reopen wait.
        events = builder().polling(TcloPolling.vmwareTools().withRetryDelays(Duration.ofSeconds(1),
                Duration.ofSeconds(15))).connections(() -> {
                    if (refusals.getAndDecrement() > 0) {
                        throw new RpcException("the host refuses the TCLO channel");
                    }
                    return host.get();
                }).build();
        events.start();
        host.send("ping").get(10, TimeUnit.SECONDS);
        refusals.set(3);
        host.failNextCalls(1);
        TcloEventsTest.waitFor(() -> refusals.get() < 0 && events.state() == TcloState.ATTACHED);
        assertThat(host.send("ping").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");

        // After the channel failure and after each refused reopen (rpcChannel.c:187-190: 1 s, then growing).
        assertThat(clock.parks).filteredOn(nanos -> nanos >= 1_000_000_000L).containsExactly(1_000_000_000L,
                2_000_000_000L, 4_000_000_000L, 8_000_000_000L);
    }
}
