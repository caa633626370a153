package dev.vmwguest.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's "In tests" example, in a user's project with host-sim in test scope. */
class ReadmeTestingExampleTest {

    @Test
    void runsAgainstTheSimulatedHost() {
        SimulatedHost host = SimulatedHost.create();
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            rpci.guestInfo().set("ip", "10.0.0.5");
        }
        assertEquals(Optional.of("10.0.0.5"), host.guestInfo().get("guestinfo.ip"));
        assertEquals(7, host.calls().total());
    }
}
