package dev.vmwguest.agent;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code resolv.conf} as glibc's {@code res_ninit} does for what vmtoolsd reports: the last
 * {@code domain} or {@code search} line wins; {@code domain d} gives domain d and search [d];
 * {@code search a b} gives domain a and search [a, b] (at most 6); without either, the domain is the
 * host name after its first dot. Name servers: the {@code nameserver} lines with a numeric address,
 * at most 3 (glibc's MAXNS), unless a replacement file is given (systemd-resolved), then up to 16.
 * The {@code LOCALDOMAIN} environment variable is not consulted.
 */
final class ResolverConf {

    private ResolverConf() {
    }

    static DnsConfig parse(String text, @Nullable String nameServerText, String hostName) {
        String domain = null;
        List<String> search = List.of();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("[ \t]+");
            if (f.length >= 2 && f[0].equals("domain")) {
                domain = f[1];
                search = List.of(f[1]);
            } else if (f.length >= 2 && f[0].equals("search")) {
                List<String> list = new ArrayList<>();
                for (int i = 1; i < f.length && list.size() < 6; i++) {
                    list.add(f[i]);
                }
                domain = list.get(0);
                search = list;
            }
        }
        if (domain == null) {
            int dot = hostName.indexOf('.');
            domain = dot >= 0 ? hostName.substring(dot + 1) : "";
            search = domain.isEmpty() ? List.of() : List.of(domain);
        }
        List<InetAddress> servers = nameServerText != null ? servers(nameServerText, 16) : servers(text, 3);
        return new DnsConfig(hostName, domain, servers, search);
    }

    private static List<InetAddress> servers(String text, int max) {
        List<InetAddress> servers = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("[ \t]+");
            if (f.length >= 2 && f[0].equals("nameserver") && servers.size() < max) {
                InetAddress address = Numeric.address(f[1]);
                if (address != null) {
                    servers.add(address);
                }
            }
        }
        return servers;
    }
}
