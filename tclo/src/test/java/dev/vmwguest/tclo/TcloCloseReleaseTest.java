package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link TcloEvents#close()} gives every host slot back, even when the host answers its CLOSEs with checkpoints. */
class TcloCloseReleaseTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void checkpointsOnTheClosesOfTheTcloChannelAndItsRpciClientLeakNoSlot() throws Exception {
        SimulatedHost host = SimulatedHost.create();
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host))
                .logger(new CountingLogger()).build();
        events.start();
        assertThat(host.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
        int open = host.openChannels();
        assertThat(open).as("the TCLO channel and the RPCI client's").isEqualTo(2);
        // Faults hit the next CLOSE on any channel: the first channel to close meets all three (the
        // default checkpoint bound), its fourth CLOSE succeeds, and the other channel's first one.
        host.faults().checkpoint(MessageType.CLOSE, RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES);

        assertTimeoutPreemptively(WAIT, events::close);

        assertThat(host.openChannels()).isZero();
        assertThat(host.faults().pending()).isEmpty();
        assertThat(host.calls().of(MessageType.CLOSE)).isEqualTo(RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES + 2L);
    }
}
