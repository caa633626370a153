package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.PowerState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The examples in the public javadoc, compiled and run; keep them in sync with the class comments. */
class TcloEventsExampleTest {

    private final Backdoor backdoor = TcloEventsTest.NO_BACKDOOR;

    @Test
    void tcloEventsClassExample() {
        FakeTcloHost host = new FakeTcloHost();
        // from TcloEvents
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(backdoor))
                .connections(host).rpciSender(new FakeTools())
                .build()) {
            events.subscribe(TcloCommand.PowerOperation.class, op -> {
                System.out.println("host asks for " + op.state());   // the application decides what to do
                return TcloReply.ok();
            });
            events.start();
            // ... run the application ...
            assertThat(host.send("OS_Suspend").join()).isEqualTo("OK ");
        }
    }

    @Test
    void tcloCommandExample() {
        // from TcloCommand
        TcloCommand command = TcloCommand.parse("Set_Option synctime 1".getBytes(StandardCharsets.US_ASCII));
        if (command instanceof TcloCommand.SetOption option) {
            System.out.println(option.name() + " = " + option.value());   // synctime = 1
        }
        assertThat(command).isEqualTo(new TcloCommand.SetOption("synctime", "1"));
    }

    @Test
    void tcloReplyExample() {
        // from TcloReply
        assertThat(TcloReply.ok().toString()).isEqualTo("OK ");
        assertThat(TcloReply.ok("/tmp/deploy").toString()).isEqualTo("OK /tmp/deploy");
        assertThat(TcloReply.error("disk is busy").toString()).isEqualTo("ERROR disk is busy");
    }

    @Test
    void tcloHandlerExample() {
        Consumer<PowerState> shutdownHooksRun = state -> { };
        try (TcloEvents events = TcloEvents.builder("example").transports(TransportSelector.over(backdoor))
                .rpciSender(new FakeTools())
                .connections(new FakeTcloHost()).build()) {
            // from TcloHandler (shutdownHooks.run is the application's own code)
            events.subscribe(TcloCommand.PowerOperation.class, op -> {
                shutdownHooksRun.accept(op.state());
                return TcloReply.ok();
            });
            // from TcloSubscription
            try (TcloSubscription pings = events.subscribe(TcloCommand.Ping.class, ping -> TcloReply.ok())) {
                assertThat(pings).isNotNull();
            }
        }
    }

    @Test
    void timeSyncPolicyExample() {
        // from TimeSyncPolicy
        TimeSyncPolicy policy = TimeSyncPolicy.defaults()
                .withOption("synctime", "1").orElseThrow()
                .withOption("synctime.period", "0").orElseThrow();
        assertThat(policy.syncTime() && policy.period().equals(Duration.ofSeconds(60))).isTrue();
    }

    @Test
    void clockAdjusterExample() throws Exception {
        // from ClockAdjuster
        ClockAdjuster adjuster = adjustment -> {
            if (adjustment.action() == ClockAdjustment.Action.STEP) {
                System.out.println("step the clock by " + adjustment.correction());   // or call chrony, timedatectl...
            }
        };
        ClockAdjustment step = new ClockAdjustment(ClockAdjustment.Reason.PERIODIC, ClockAdjustment.Action.STEP,
                java.time.Instant.EPOCH.plusSeconds(2), java.time.Instant.EPOCH, Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(1), java.util.Optional.empty(), false,
                TimeSyncPolicy.defaults());
        adjuster.adjust(step);
        assertThat(adjuster.changesClock()).isTrue();
        assertThat(adjuster.resyncGuestTimeService(step)).isFalse();
        ClockAdjuster.reportOnly().adjust(step);
        assertThat(ClockAdjuster.reportOnly().changesClock()).isFalse();
    }

    @Test
    void tcloPollingExample() {
        // from TcloPolling
        TcloPolling gentle = TcloPolling.defaults().withQuietPolling(Duration.ofSeconds(30), Duration.ofSeconds(1));
        TcloPolling likeVmtoolsd = TcloPolling.vmwareTools();
        assertThat(gentle.quietAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(likeVmtoolsd.quietDelay()).isEqualTo(likeVmtoolsd.maxIdleDelay());
    }
}
