package dev.vmwguest.agent;

import static dev.vmwguest.agent.GuestAgentTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.hostsim.GuestNetwork;
import dev.vmwguest.hostsim.GuestView;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The agent against the simulated host's own decoder (host-sim, written from guest-info.md, sharing
 * no code with the agent's encoders): every fact the agent reports is asserted on {@code host.guest()}.
 */
@SuppressWarnings("try")   // the agent runs while the block runs; the block need not name it
class AgentHostViewTest {

    private static final String IPV6_ROUTES =
            "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 "
            + "00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\n"
            + "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
            + "fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth0\n";

    private final SimulatedHost host = SimulatedHost.create();
    private final AgentSettings hourly = AgentSettings.defaults().withInterval(Duration.ofHours(1));
    private final AtomicReference<String> eth1Address = new AtomicReference<>("192.168.1.7");

    /** Two NICs with IPv4 and IPv6, IPv4 and IPv6 routes, two name servers, Debian 12. */
    private FactSources machine() {
        InterfaceSource interfaces = () -> List.of(
                new InterfaceSnapshot("lo", null, true, true, List.of(Machines.ip("127.0.0.1", 8))),
                new InterfaceSnapshot("eth0", "00:50:56:aa:bb:cc", true, false, List.of(
                        Machines.ip("10.0.0.5", 24), Machines.ip("2001:db8::5", 64), Machines.ip("fe80::1", 64))),
                new InterfaceSnapshot("eth1", "00:50:56:aa:bb:dd", true, false,
                        List.of(Machines.ip(eth1Address.get(), 16))));
        FactSources base = Machines.appliance("app1", "10.0.0.5");
        return new FactSources(interfaces, base.ipv4Routes(), TextSource.of(IPV6_ROUTES),
                TextSource.of("nameserver 10.0.0.1\nnameserver 2001:db8::53\nsearch example.com lab\n"),
                TextSource.absent(),
                TextSource.of("NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\n"
                        + "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
                TextSource.of("Linux"), TextSource.of("6.1.0-18-amd64"), TextSource.of("app1"),
                TextSource.of("1234.56 99.0"), "amd64", () -> List.of(new DiskUsage("/", 1000, 4000, "ext4"),
                        new DiskUsage("/var", 200, 800, "xfs")));
    }

    /** {@code uname -s}, {@code -r}, then the os-release values found, in file order (guest-info.md 3.2). */
    private static final String FULL_NAME =
            "Linux 6.1.0-18-amd64 Debian GNU/Linux 12 12 (bookworm) Debian GNU/Linux 12 (bookworm)";

    private GuestView viewAfterFirstPush(GuestAgent.Builder builder) throws InterruptedException {
        try (GuestAgent agent = builder.start()) {
            await(() -> host.guest().uptime().isPresent(), "the first push");
            return host.guest();
        }
    }

    @Test
    void theHostSeesEveryFactTheAgentReports() throws Exception {
        GuestView view = viewAfterFirstPush(GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine()).settings(hourly)
                .buildNumber("build-7"));
        assertThat(view.decodeErrors()).isEmpty();
        assertThat(view.hostName()).contains("app1");
        assertThat(view.uptime()).hasValue(123456);
        assertThat(view.buildNumber()).contains("build-7");

        GuestNetwork net = view.network().orElseThrow();
        assertThat(net.reportType()).isEqualTo(10);
        assertThat(net.version()).isEqualTo(3);
        assertThat(net.nics()).extracting(GuestNetwork.Nic::macAddress)
                .containsExactly("00:50:56:aa:bb:cc", "00:50:56:aa:bb:dd");
        assertThat(net.nics().get(0).addresses()).extracting(GuestNetwork.Address::toString)
                .containsExactlyInAnyOrder("10.0.0.5/24", "2001:db8::5/64", "fe80::1/64");
        assertThat(net.nics().get(1).addresses()).extracting(GuestNetwork.Address::toString)
                .containsExactly("192.168.1.7/16");
        for (GuestNetwork.Address a : net.addresses()) {
            assertThat(a.origin()).as("vmtoolsd on Linux sends no origin").isEmpty();
            assertThat(a.status()).as(a.address()).isEqualTo(OptionalInt.of(a.ipv4() ? 1 : 5));
            assertThat(a.addressType()).isEqualTo(a.address().contains(":") ? 2 : 1);
        }

        assertThat(net.routes()).extracting(r -> r.destination() + "/" + r.prefixLength() + " via "
                + r.nextHop().orElse("-") + " nic " + r.nicIndex() + " metric " + r.metric())
                .containsExactly("0.0.0.0/0 via 10.0.0.1 nic 0 metric 100",
                        "2001:db8::/64 via - nic 0 metric 256",
                        "::/0 via fe80::1 nic 0 metric 1024");
        GuestNetwork.Dns dns = net.dns().orElseThrow();
        assertThat(dns.hostName()).contains("app1");
        assertThat(dns.domainName()).contains("example.com");
        assertThat(dns.servers()).containsExactly("10.0.0.1", "2001:db8::53");
        assertThat(dns.searchSuffixes()).containsExactly("example.com", "lab");

        GuestView.Os os = view.os();
        assertThat(os.shortName()).contains("debian12-64");
        assertThat(os.fullName()).contains(FULL_NAME);
        assertThat(os.details()).containsEntry("prettyName", "Debian GNU/Linux 12 (bookworm)")
                .containsEntry("familyName", "Linux").containsEntry("distroName", "Debian GNU/Linux")
                .containsEntry("distroVersion", "12").containsEntry("kernelVersion", "6.1.0-18-amd64")
                .containsEntry("bitness", "64").containsEntry("architecture", "X86");

        assertThat(view.disks()).extracting(d -> d.mountPoint() + " " + d.freeBytes() + "/" + d.sizeBytes()
                + " " + d.fsType().orElse("?")).containsExactly("/ 1000/4000 ext4", "/var 200/800 xfs");
    }

    @Test
    void theHostSeesToolsRunningAndUnmanagedAndTheBroadcastAddress() throws Exception {
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine()).settings(hourly).start()) {
            assertThat(host.tclo().send("Capabilities_Register").get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(host.tclo().send("Set_Option broadcastIP 1").get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
            GuestView.Tools tools = host.guest().tools();
            assertThat(tools.running()).isTrue();
            assertThat(tools.unmanaged()).as("the agent claims TOOLS_VERSION_UNMANAGED").isTrue();
            assertThat(tools.versionNumber()).hasValue(GuestView.Tools.UNMANAGED);
            assertThat(tools.version()).isEmpty();
            assertThat(tools.capabilities()).contains("statechange", "softpowerop_retry");
            assertThat(host.guest().primaryIp()).contains("10.0.0.5");
            assertThat(host.guest().decodeErrors()).isEmpty();
        }
        assertThat(host.guest().tools().running()).as("closed: no TCLO channel").isFalse();
    }

    @Test
    void refusedV3AndDetailedOsFallBackToWhatTheHostStillDecodes() throws Exception {
        host.rpci().refuseGuestInfo(10, true).refuseGuestInfo(11, true);
        GuestView view = viewAfterFirstPush(GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine()).settings(hourly));
        assertThat(view.decodeErrors()).isEmpty();
        GuestNetwork net = view.network().orElseThrow();
        assertThat(net.reportType()).isEqualTo(9);
        assertThat(net.version()).as("the truncated V3 goes as type 9").isEqualTo(3);
        assertThat(net.addresses()).extracting(GuestNetwork.Address::toString).contains("10.0.0.5/24", "192.168.1.7/16");
        assertThat(view.os().shortName()).contains("debian12-64");
        assertThat(view.os().fullName()).contains(FULL_NAME);
        assertThat(view.os().detailedData()).as("type 11 refused").isEmpty();
    }

    @Test
    void refusedTypes10And9LeaveTheV1StructAsType2() throws Exception {
        host.rpci().refuseGuestInfo(10, true).refuseGuestInfo(9, true);
        GuestView view = viewAfterFirstPush(GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine()).settings(hourly));
        assertThat(view.decodeErrors()).isEmpty();
        GuestNetwork net = view.network().orElseThrow();
        assertThat(net.reportType()).isEqualTo(2);
        assertThat(net.version()).isEqualTo(1);
        assertThat(net.nics()).extracting(GuestNetwork.Nic::macAddress)
                .containsExactly("00:50:56:aa:bb:cc", "00:50:56:aa:bb:dd");
        assertThat(net.nics().get(1).addresses()).extracting(GuestNetwork.Address::address)
                .containsExactly("192.168.1.7");
        assertThat(net.routes()).as("V1 carries no routes").isEmpty();
    }

    @Test
    void refusedDiskJsonFallsBackToTheDiskStruct() throws Exception {
        host.rpci().unknown("SetGuestDiskInfo", true);
        GuestView view = viewAfterFirstPush(GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine()).settings(hourly));
        assertThat(view.decodeErrors()).isEmpty();
        assertThat(view.disks()).extracting(d -> d.mountPoint() + " " + d.freeBytes() + "/" + d.sizeBytes())
                .containsExactly("/ 1000/4000", "/var 200/800");
    }

    @Test
    void aChangeIsSeenOnTheNextCycleAndNothingIsResentWhenNothingChanged() throws Exception {
        AtomicReference<String> uptime = new AtomicReference<>("1234.56");
        FactSources base = machine();
        FactSources changing = new FactSources(base.interfaces(), base.ipv4Routes(),
                base.ipv6Routes(), base.resolvConf(), base.nameServers(), base.osRelease(), base.osType(),
                base.kernelRelease(), base.hostName(), () -> Optional.of(uptime.get()), "amd64", base.disks());
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(changing).settings(hourly).start()) {
            await(() -> host.guest().uptime().isPresent(), "the first push");
            long before = host.calls().rpci("SetGuestInfo");
            long disksBefore = host.calls().rpci("SetGuestDiskInfo");
            agent.report(false);
            assertThat(host.calls().rpci("SetGuestInfo") - before).as("nothing changed, nothing sent").isZero();
            assertThat(host.calls().rpci("SetGuestDiskInfo") - disksBefore).isZero();

            eth1Address.set("192.168.1.8");
            uptime.set("2000.00");
            agent.report(false);
            assertThat(host.calls().rpci("SetGuestInfo") - before).as("NIC info and uptime").isEqualTo(2);
            GuestView view = host.guest();
            assertThat(view.network().orElseThrow().nics().get(1).addresses())
                    .extracting(GuestNetwork.Address::toString).containsExactly("192.168.1.8/16");
            assertThat(view.uptime()).hasValue(200000);
            assertThat(view.decodeErrors()).isEmpty();
        }
    }
}
