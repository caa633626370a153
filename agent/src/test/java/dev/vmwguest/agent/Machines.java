package dev.vmwguest.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Whole injected machine states for tests. */
final class Machines {

    private Machines() {
    }

    static NicAddress ip(String text, int prefix) {
        try {
            return new NicAddress(InetAddress.getByName(text), prefix);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** One appliance: eth0 10.0.0.5/24 + fe80::1, docker0 (excluded), lo; default route; one DNS server. */
    static FactSources appliance(String hostName, String eth0Address) {
        InterfaceSource interfaces = () -> List.of(
                new InterfaceSnapshot("lo", null, true, true, List.of(ip("127.0.0.1", 8))),
                new InterfaceSnapshot("eth0", "00:50:56:aa:bb:cc", true, false,
                        List.of(ip(eth0Address, 24), ip("fe80::1", 64))),
                new InterfaceSnapshot("docker0", "02:42:00:00:00:01", true, false, List.of(ip("172.17.0.1", 16))));
        return new FactSources(interfaces,
                TextSource.of("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                        + "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                        + "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"),
                TextSource.absent(), TextSource.of("nameserver 10.0.0.1\nsearch example.com lab\n"), TextSource.absent(),
                TextSource.of("NAME=\"Acme OS\"\nVERSION_ID=\"1.0\"\nPRETTY_NAME=\"Acme OS 1.0\"\n"),
                TextSource.of("Linux"), TextSource.of("6.1.0-acme"), TextSource.of(hostName), TextSource.of("1234.56 99.0"),
                "amd64", () -> List.of(new DiskUsage("/", 1000, 4000, "ext4")));
    }
}
