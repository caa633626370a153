package dev.vmwguest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactGathererTest {

    @Test
    void vmtoolsdsFiltersRoutesResolverAndPrimaryIpApply() throws Exception {
        GuestFacts facts = GuestFacts.gather(Machines.appliance("app1", "10.0.0.5"), AgentSettings.defaults());
        assertThat(facts.network().nics()).extracting(GuestNic::name).containsExactly("eth0");
        assertThat(facts.network().routes()).singleElement().satisfies(r -> {
            assertThat(r.nextHop()).isEqualTo(InetAddress.getByName("10.0.0.1"));
            assertThat(r.metric()).isEqualTo(100);
            assertThat(r.prefixLength()).isZero();
        });
        assertThat(facts.network().dns()).isEqualTo(new DnsConfig("app1", "example.com",
                List.of(InetAddress.getByName("10.0.0.1")), List.of("example.com", "lab")));
        assertThat(facts.primaryIp()).isEqualTo("10.0.0.5");
        assertThat(facts.uptimeHundredths()).isEqualTo(123456);
        assertThat(facts.os().shortName()).isEqualTo("other6xlinux-64");
        assertThat(facts.os().fullName()).isEqualTo("Linux 6.1.0-acme Acme OS 1.0 Acme OS 1.0");
    }

    @Test
    void emptyExclusionsReportEveryNicAndPrioritiesReorder() throws Exception {
        GuestFacts facts = GuestFacts.gather(Machines.appliance("a", "10.0.0.5"),
                AgentSettings.defaults().withExcludeNics(List.of()).withNicPriorities(List.of("dock?r*"), List.of()));
        assertThat(facts.network().nics()).extracting(GuestNic::name).containsExactly("docker0", "eth0");
        assertThat(facts.primaryIp()).isEqualTo("172.17.0.1");
        assertThat(facts.network().routes()).extracting(GuestRoute::nicIndex).containsExactly(1, 0);
    }

    @Test
    void linkLocalIpv6IsNeverPrimaryButIpv4LinkLocalIs() throws Exception {
        assertThat(AddressOrder.primaryCandidate(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(AddressOrder.primaryCandidate(InetAddress.getByName("fc00::1"))).isFalse();
        assertThat(AddressOrder.primaryCandidate(InetAddress.getByName("fd00::1"))).isTrue();
        assertThat(AddressOrder.primaryCandidate(InetAddress.getByName("169.254.1.1"))).isTrue();
        assertThat(AddressOrder.primaryCandidate(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void resolverDomainFallsBackToTheHostNamesDomain() {
        assertThat(ResolverConf.parse("nameserver 1.1.1.1\nnameserver host.name\n", null, "vm.corp.example").domainName())
                .isEqualTo("corp.example");
        assertThat(ResolverConf.parse("nameserver 1.1.1.1\nnameserver host.name\n", null, "vm").servers()).hasSize(1);
        assertThat(ResolverConf.parse("search a b\ndomain d\n", null, "vm").searchSuffixes()).containsExactly("d");
    }
}
