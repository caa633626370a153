package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.backdoor.HostTime;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.PowerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Item 1 of issue 15: no callback takes the loop down; only a fatal VirtualMachineError ends it, as FAILED. */
class TcloLoopSurvivalTest {

    private final FakeTcloHost host = new FakeTcloHost();
    private final FakeTools tools = new FakeTools();
    private final CountingLogger logger = new CountingLogger();
    private final CountingLogger.Changes changes = new CountingLogger.Changes();
    private TcloEvents events;

    TcloEventsBuilder builder() {
        return TcloEvents.builder("toolbox").transports(TransportSelector.over(TcloEventsTest.NO_BACKDOOR))
                .connections(host).rpciSender(tools)
                .hostClock(() -> Optional.of(new HostTime(Instant.parse("2026-01-01T00:00:05Z"), Duration.ZERO,
                        Optional.of(Duration.ZERO), 55)))
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .logger(logger).listener(changes)
                .polling(TcloPolling.defaults().withIdleDelays(Duration.ofMillis(1), Duration.ofMillis(5))
                        .withRetryDelays(Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    @AfterEach
    void closeEvents() {
        if (events != null) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), events::close);
        }
    }

    static Stream<Arguments> survivable() {
        List<Supplier<Throwable>> failures = List.of(() -> new IllegalStateException("bug"),
                () -> new StackOverflowError(), () -> new OutOfMemoryError("Java heap space"),
                () -> new AssertionError("assert"), () -> new Exception("checked"), () -> new NoClassDefFoundError("X"));
        return failures.stream().flatMap(failure -> Stream.of(
                Arguments.of("handler", failure, "ping", "ERROR "),
                Arguments.of("time-sync policy listener", failure, "Set_Option synctime 1", "OK "),
                Arguments.of("observer", failure, "ping", "OK "),
                Arguments.of("clock adjuster", failure, "Time_Synchronize 0", "ERROR Unable to sync time"),
                Arguments.of("power prepare", failure, "OS_Halt", "ERROR "),
                Arguments.of("power perform", failure, "OS_Halt", "OK "),
                Arguments.of("state listener", failure, "ping", "OK ")));
    }

    /** Installs a callback of kind {@code where} that throws {@code failure}. */
    private TcloEventsBuilder throwingIn(TcloEventsBuilder builder, String where, Throwable failure) {
        ThrowingAction thrower = () -> {
            TcloLoopSurvivalTest.<RuntimeException>sneaky(failure);
        };
        switch (where) {
            case "clock adjuster" -> builder.clockAdjuster(a -> thrower.run());
            case "state listener" -> builder.listener(change -> {
                changes.accept(change);
                sneaky(failure);
            });
            default -> {
            }
        }
        TcloEvents built = builder.build();
        switch (where) {
            case "handler" -> built.subscribe(TcloCommand.Ping.class, ping -> {
                thrower.run();
                return TcloReply.ok();
            });
            case "time-sync policy listener" -> built.onTimeSyncPolicy(policy -> sneaky(failure));
            case "observer" -> built.observe((command, reply) -> sneaky(failure));
            case "power prepare" -> built.onPowerOperation(PowerState.HALT, new PowerOperationHandler() {
                @Override
                public void prepare(PowerState state) throws Exception {
                    thrower.run();
                }

                @Override
                public void perform(PowerState state) {
                }
            });
            case "power perform" -> built.onPowerOperation(PowerState.HALT, state -> thrower.run());
            default -> {
            }
        }
        events = built;
        return builder;
    }

    @ParameterizedTest(name = "{0} throws {1}")
    @MethodSource("survivable")
    void aFailingCallbackIsLoggedOnceTheHostGetsItsReplyAndTheLoopGoesOn(String where, Supplier<Throwable> failure,
            String command, String replyPrefix) throws Exception {
        throwingIn(builder().clockAdjuster(a -> { }), where, failure.get());
        events.start();

        assertThat(host.send(command).get(10, TimeUnit.SECONDS)).startsWith(replyPrefix);
        assertThat(host.send(command).get(10, TimeUnit.SECONDS)).startsWith(replyPrefix);
        assertThat(host.send("Set_Option after 1").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");

        assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
        assertThat(logger.traced).as("logged once per streak, with the stack trace").hasSize(1);
    }

    @Test
    void aHandlerReplyWithUnencodableTextBecomesAnErrorReplyAndTheLoopGoesOn() throws Exception {
        events = builder().build();
        events.subscribe(TcloCommand.Ping.class, ping -> TcloReply.ok("x\uD800y"));
        events.start();

        String reply = host.send("ping").get(10, TimeUnit.SECONDS);
        assertThat(reply).startsWith("ERROR ").contains("index 1").doesNotContain("x?y");
        assertThat(host.send("Set_Option after 1").get(10, TimeUnit.SECONDS)).isEqualTo("OK ");
        assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
    }

    @FunctionalInterface
    interface ThrowingAction {
        void run() throws Exception;
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> void sneaky(Throwable failure) throws T {
        throw (T) failure;
    }
}
