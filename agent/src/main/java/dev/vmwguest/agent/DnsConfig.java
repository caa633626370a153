package dev.vmwguest.agent;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The guest's resolver configuration as reported in NIC info V3.
 *
 * @param hostName       the host name ({@code gethostname()})
 * @param domainName     the resolver's default domain, possibly empty
 * @param servers        name servers, at most 16 are sent
 * @param searchSuffixes search domains, at most 10 are sent
 */
public record DnsConfig(String hostName, String domainName, List<InetAddress> servers, List<String> searchSuffixes) {

    /**
     * Copies the lists.
     *
     * @param hostName       the host name ({@code gethostname()})
     * @param domainName     the resolver's default domain, possibly empty
     * @param servers        name servers, at most 16 are sent
     * @param searchSuffixes search domains, at most 10 are sent
     * @throws NullPointerException if a component is null
     */
    public DnsConfig {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(domainName, "domainName");
        servers = List.copyOf(servers);
        searchSuffixes = List.copyOf(searchSuffixes);
    }
}
