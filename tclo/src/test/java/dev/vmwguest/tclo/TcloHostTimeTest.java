package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Host time for time sync comes from the selector's backdoor
 * ({@link TransportSelector#backdoor()}), also when TCLO arrives on another
 * connection (vsock in production, a scripted one here), because the
 * backdoor's time command answers whatever carries GuestRPC.
 */
class TcloHostTimeTest {

    private static final Instant GUEST = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void timeSyncReadsTheSelectorsBackdoorWhileTcloRunsOnAnotherConnection() throws Exception {
        SimulatedHost backdoorHost = SimulatedHost.create();
        backdoorHost.setClock(Clock.fixed(GUEST.plusSeconds(5), ZoneOffset.UTC));
        FakeTcloHost tcloHost = new FakeTcloHost();
        List<ClockAdjustment> adjustments = new CopyOnWriteArrayList<>();
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX)
                .transports(TransportSelector.over(backdoorHost))
                .connections(tcloHost).rpciSender(new FakeTools()).logger(new CountingLogger())
                .clock(Clock.fixed(GUEST, ZoneOffset.UTC)).clockAdjuster(adjustments::add)
                .start();
        try {
            tcloHost.send("reset").get(20, TimeUnit.SECONDS);
            assertThat(tcloHost.send("Time_Synchronize 0").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
        } finally {
            assertTimeoutPreemptively(Duration.ofSeconds(20), events::close);
        }

        assertThat(adjustments).singleElement().satisfies(a -> {
            assertThat(a.hostTime()).isEqualTo(GUEST.plusSeconds(5));
            assertThat(a.offset()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(backdoorHost.openChannels()).as("no GuestRPC channel on the backdoor").isZero();
        assertThat(backdoorHost.calls().rpci("tools.set.version")).isZero();
    }
}
