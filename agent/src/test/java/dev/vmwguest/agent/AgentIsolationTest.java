package dev.vmwguest.agent;

import static dev.vmwguest.agent.GuestAgentTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The application's fact sources cannot stop the agent: a throwing source costs one cycle. */
@SuppressWarnings("try")   // the agent runs while the block runs; the block need not name it
class AgentIsolationTest {

    private final SimulatedHost host = SimulatedHost.create();

    /** The appliance, except that the first {@code failures} reads of the host name throw an Error. */
    private static FactSources failingFirst(int failures, AtomicInteger reads) {
        FactSources base = Machines.appliance("app1", "10.0.0.5");
        TextSource hostName = () -> {
            if (reads.incrementAndGet() <= failures) {
                throw new AssertionError("an application's source failed");
            }
            return Optional.of("app1");
        };
        return new FactSources(base.interfaces(), base.ipv4Routes(), base.ipv6Routes(), base.resolvConf(),
                base.nameServers(), base.osRelease(), base.osType(), base.kernelRelease(), hostName, base.uptime(),
                "amd64", base.disks());
    }

    @Test
    void aSourceThrowingAnErrorCostsOneCycleNotTheTimer() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        AgentSettings often = AgentSettings.defaults().withInterval(Duration.ofMillis(50));
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(failingFirst(3, reads)).settings(often)
                .start()) {
            await(() -> host.guest().hostName().isPresent(), "a report after the source recovered");
            assertThat(reads.get()).isGreaterThan(3);
            assertThat(host.guest().hostName()).contains("app1");
        }
    }

    @Test
    void aFailingUptimeSourceDoesNotCostTheToolsRegistration() throws Exception {
        FactSources base = Machines.appliance("app1", "10.0.0.5");
        FactSources machine = new FactSources(base.interfaces(), base.ipv4Routes(), base.ipv6Routes(),
                base.resolvConf(), base.nameServers(), base.osRelease(), base.osType(), base.kernelRelease(),
                base.hostName(), () -> {
                    throw new IllegalStateException("no uptime here");
                }, "amd64", base.disks());
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host)).sources(machine)
                .settings(AgentSettings.defaults().withInterval(Duration.ofHours(1))).start()) {
            assertThat(host.tclo().send("Capabilities_Register").get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(host.guest().tools().unmanaged()).isTrue();
        }
    }
}
