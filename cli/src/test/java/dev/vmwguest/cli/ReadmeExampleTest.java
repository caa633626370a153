package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciReply;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's examples, compiled and run; keep them in sync with README.md. */
class ReadmeExampleTest {

    @Test
    void usage() {
        SimulatedHost simulated = SimulatedHost.create();
        simulated.guestInfo().put("role", "web");
        Backdoor backdoor = simulated;   // the README's RpciClient.open() and Backdoors.open() detect the real host
        Optional<String> seenRole;
        RpciReply seenReply;
        // from README.md "Usage"
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(backdoor))) {
            rpci.guestInfo().set("ip", "10.0.0.5");
            Optional<String> role = rpci.guestInfo().get("role");
            rpci.log("agent started");
            RpciReply reply = rpci.send("info-get guestinfo.ip");
            seenRole = role;
            seenReply = reply;
        }
        HostInfo host = HostInfo.query(backdoor);

        assertThat(seenRole).contains("web");
        assertThat(seenReply.success()).isTrue();
        assertThat(seenReply.text()).isEqualTo("10.0.0.5");
        assertThat(simulated.log()).contains("agent started");
        assertThat(host.biosUuid()).isPresent();
    }

    @Test
    void testingAgainstTheSimulatedHost() {
        // from README.md "In tests"
        SimulatedHost host = SimulatedHost.create();
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            rpci.guestInfo().set("ip", "10.0.0.5");
        }
        assertThat(host.guestInfo().get("guestinfo.ip")).contains("10.0.0.5");
        assertThat(host.calls().total()).isEqualTo(7);
    }
}
