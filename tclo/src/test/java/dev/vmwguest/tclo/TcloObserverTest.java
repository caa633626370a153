package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link TcloEvents#observe}: sees every command with its reply, and cannot change a reply. */
class TcloObserverTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void observersSeeCommandsAndRepliesFromHandlersAndBuiltIns() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host))
                .build()) {
            events.subscribe(TcloCommand.SetOption.class, option -> TcloReply.error("read-only"));
            events.observe((command, reply) -> seen.add(command.commandName() + " -> " + reply));
            events.start();

            assertThat(host.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(host.tclo().send("Set_Option synctime 1").get(20, TimeUnit.SECONDS))
                    .isEqualTo("ERROR read-only");
        }
        assertThat(seen).contains("ping -> OK ", "Set_Option -> ERROR read-only");
        assertThat(seen.get(0)).as("the attach handshake is observed too").startsWith("reset -> OK ATR toolbox");
    }

    @Test
    void aFailingObserverDoesNotChangeTheReplyAndCanBeRemoved() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host))
                .build()) {
            events.observe((command, reply) -> {
                throw new IllegalStateException("observer bug");
            });
            TcloSubscription watching = events.observe((command, reply) -> seen.add(command.commandName()));
            events.start();

            assertThat(host.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
            watching.close();
            assertThat(host.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
        }
        assertThat(seen).containsExactly("reset", "ping");
    }
}
