package dev.vmwguest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where the agent connects: the {@link TransportSelector} given, else the process's policy
 * ({@link TransportSelector#forThisProcess()}), for the running agent and for {@code reportOnce}.
 */
class AgentConnectionsTest {

    private final AgentSettings hourly = AgentSettings.defaults().withInterval(Duration.ofHours(1));

    @Test
    void reportOnceSendsTheFactsThroughTheGivenSelector() throws Exception {
        SimulatedHost host = SimulatedHost.create();

        GuestFacts facts = GuestAgent.reportOnce(TransportSelector.over(host), Machines.appliance("once", "10.0.0.7"),
                hourly);

        assertThat(facts.hostName()).isEqualTo("once");
        assertThat(host.setGuestInfo(1).map(String::new)).contains("once");
        assertThat(host.guestInfo().get("guestinfo.ip")).contains("10.0.0.7");
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void withoutASelectorTheAgentUsesTheProcessPolicy() throws Exception {
        assumeTrue(System.getenv(BackdoorSettings.MODE_ENV) == null, "VMWGUEST_BACKDOOR is set in this environment");
        String previous = System.getProperty(BackdoorSettings.MODE_PROPERTY);
        System.setProperty(BackdoorSettings.MODE_PROPERTY, "sim");   // the process's backdoor is the shared host
        try (GuestAgent agent = GuestAgent.builder().appName("defaultagent")
                .sources(Machines.appliance("by-policy", "10.0.0.8")).settings(hourly).start()) {
            SimulatedHost shared = SimulatedHost.shared();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!shared.setGuestInfo(1).map(String::new).orElse("").equals("by-policy")) {
                assertThat(System.nanoTime() - deadline).as("facts on the shared host within 30 s").isNegative();
                Thread.sleep(10);
            }
            assertThat(agent.events().transportSelection()).isPresent();
        } finally {
            if (previous == null) {
                System.clearProperty(BackdoorSettings.MODE_PROPERTY);
            } else {
                System.setProperty(BackdoorSettings.MODE_PROPERTY, previous);
            }
        }
    }
}
