package dev.vmwguest.hostsim;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The guest's network as the host decoded it from its latest NIC report
 * ({@code SetGuestInfo} type 10 or 9, XDR {@code GuestNicProto}; or type 2, the
 * {@code GuestNicInfoV1} struct): what vSphere shows as {@code guest.net} and
 * {@code guest.ipStack} (guest-info.md section 2).
 *
 * @param reportType  the {@code SetGuestInfo} type it came with: 10, 9 or 2
 * @param version     the {@code NicInfoVersion}: 3 (NicInfoV3), 2 (GuestNicList) or 1 (the V1 struct)
 * @param nics        the NICs in the order the guest sent them
 * @param routes      the routes (V3 only), in the guest's order
 * @param dns         the top-level DNS configuration (V3 only), if sent
 * @param winsServers the top-level WINS primary and secondary (V3 only), empty if not sent
 * @param dhcpV4      the top-level DHCPv4 configuration (V3 only), if sent
 * @param dhcpV6      the top-level DHCPv6 configuration (V3 only), if sent
 */
public record GuestNetwork(int reportType, int version, List<Nic> nics, List<Route> routes, Optional<Dns> dns,
        List<String> winsServers, Optional<Dhcp> dhcpV4, Optional<Dhcp> dhcpV6) {

    /**
     * Copies the lists.
     *
     * @param reportType  the {@code SetGuestInfo} type: 10, 9 or 2
     * @param version     the {@code NicInfoVersion}: 3, 2 or 1
     * @param nics        the NICs in the guest's order
     * @param routes      the routes in the guest's order
     * @param dns         the top-level DNS configuration, if sent
     * @param winsServers the top-level WINS primary and secondary, empty if not sent
     * @param dhcpV4      the top-level DHCPv4 configuration, if sent
     * @param dhcpV6      the top-level DHCPv6 configuration, if sent
     * @throws NullPointerException if a component is null
     */
    public GuestNetwork {
        nics = List.copyOf(nics);
        routes = List.copyOf(routes);
        Objects.requireNonNull(dns, "dns");
        winsServers = List.copyOf(winsServers);
        Objects.requireNonNull(dhcpV4, "dhcpV4");
        Objects.requireNonNull(dhcpV6, "dhcpV6");
    }

    /**
     * Every address of every NIC, in order.
     *
     * @return the addresses
     */
    public List<Address> addresses() {
        return nics.stream().flatMap(nic -> nic.addresses().stream()).toList();
    }

    /**
     * One NIC ({@code GuestNicV3}, V2 {@code GuestNic} or V1 {@code NicEntryV1}).
     *
     * @param macAddress  the MAC address text as sent, e.g. {@code 00:50:56:aa:bb:cc}
     * @param addresses   its addresses in the guest's order
     * @param dns         its own DNS configuration (V3), if sent
     * @param winsServers its WINS primary and secondary (V3), empty if not sent
     * @param dhcpV4      its DHCPv4 configuration (V3), if sent
     * @param dhcpV6      its DHCPv6 configuration (V3), if sent
     */
    public record Nic(String macAddress, List<Address> addresses, Optional<Dns> dns, List<String> winsServers,
            Optional<Dhcp> dhcpV4, Optional<Dhcp> dhcpV6) {

        /**
         * Copies the lists.
         *
         * @param macAddress  the MAC address text as sent
         * @param addresses   its addresses in the guest's order
         * @param dns         its own DNS configuration, if sent
         * @param winsServers its WINS primary and secondary, empty if not sent
         * @param dhcpV4      its DHCPv4 configuration, if sent
         * @param dhcpV6      its DHCPv6 configuration, if sent
         * @throws NullPointerException if a component is null
         */
        public Nic {
            Objects.requireNonNull(macAddress, "macAddress");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(dns, "dns");
            winsServers = List.copyOf(winsServers);
            Objects.requireNonNull(dhcpV4, "dhcpV4");
            Objects.requireNonNull(dhcpV6, "dhcpV6");
        }
    }

    /**
     * One address of a NIC.
     *
     * @param address      the address as text: dotted IPv4, RFC 5952 IPv6, or as the guest wrote it (V1, V2)
     * @param addressType  the {@code InetAddressType} (1 IPv4, 2 IPv6, 3/4 with zone, 16 DNS); for V2
     *                     and V1 reports 1 or 2 from the address family
     * @param prefixLength the prefix length; empty for V1 reports, which carry none
     * @param origin       {@code IpAddressOrigin} (V3), if sent: 1 other, 2 manual, 4 DHCP, 5 link layer, 6 random
     * @param status       {@code IpAddressStatus} (V3), if sent: 1 preferred, ... 5 unknown, ...
     * @param dhcpEnabled  the V2 {@code dhcpEnabled} flag; empty for V3 and V1
     */
    public record Address(String address, int addressType, OptionalInt prefixLength, OptionalInt origin,
            OptionalInt status, Optional<Boolean> dhcpEnabled) {

        /**
         * Validates.
         *
         * @param address      the address as text
         * @param addressType  the {@code InetAddressType} (1 IPv4, 2 IPv6, 3/4 with zone, 16 DNS)
         * @param prefixLength the prefix length, empty if the report carries none
         * @param origin       the {@code IpAddressOrigin}, if sent
         * @param status       the {@code IpAddressStatus}, if sent
         * @param dhcpEnabled  the V2 {@code dhcpEnabled} flag, empty for V3 and V1
         * @throws NullPointerException if a component is null
         */
        public Address {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(prefixLength, "prefixLength");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(dhcpEnabled, "dhcpEnabled");
        }

        /**
         * Whether it is an IPv4 address.
         *
         * @return true for address type 1 (IPv4)
         */
        public boolean ipv4() {
            return addressType == 1;
        }

        /**
         * The address with its prefix, as vSphere lists it, e.g. {@code 10.0.0.5/24}.
         *
         * @return the address, with {@code /prefix} when the prefix is known
         */
        @Override
        public String toString() {
            return prefixLength.isPresent() ? address + "/" + prefixLength.getAsInt() : address;
        }
    }

    /**
     * One {@code InetCidrRouteEntry}.
     *
     * @param destination  the destination network
     * @param prefixLength its prefix length
     * @param nextHop      the gateway, if sent
     * @param nicIndex     the index into {@link GuestNetwork#nics()} of the NIC it goes out on
     * @param type         {@code InetCidrRouteType}; vmtoolsd leaves it 0 (outside the enum)
     * @param metric       the metric as an unsigned 32-bit value (0xFFFFFFFF: unused)
     */
    public record Route(String destination, int prefixLength, Optional<String> nextHop, long nicIndex, int type,
            long metric) {

        /**
         * Validates.
         *
         * @param destination  the destination network
         * @param prefixLength its prefix length
         * @param nextHop      the gateway, if sent
         * @param nicIndex     the index into {@link GuestNetwork#nics()} of the outgoing NIC
         * @param type         the {@code InetCidrRouteType}, 0 if the guest left it unset
         * @param metric       the metric as an unsigned 32-bit value (0xFFFFFFFF: unused)
         * @throws NullPointerException if {@code destination} or {@code nextHop} is null
         */
        public Route {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(nextHop, "nextHop");
        }
    }

    /**
     * A {@code DnsConfigInfo}.
     *
     * @param hostName       the host name, if sent
     * @param domainName     the domain name, if sent (may be empty text)
     * @param servers        the name servers
     * @param searchSuffixes the search suffixes
     */
    public record Dns(Optional<String> hostName, Optional<String> domainName, List<String> servers,
            List<String> searchSuffixes) {

        /**
         * Copies the lists.
         *
         * @param hostName       the host name, if sent
         * @param domainName     the domain name, if sent
         * @param servers        the name servers
         * @param searchSuffixes the search suffixes
         * @throws NullPointerException if a component is null
         */
        public Dns {
            Objects.requireNonNull(hostName, "hostName");
            Objects.requireNonNull(domainName, "domainName");
            servers = List.copyOf(servers);
            searchSuffixes = List.copyOf(searchSuffixes);
        }
    }

    /**
     * A {@code DhcpConfigInfo}.
     *
     * @param enabled  whether DHCP is on
     * @param settings the settings text
     */
    public record Dhcp(boolean enabled, String settings) {

        /**
         * Validates.
         *
         * @param enabled  whether DHCP is on
         * @param settings the settings text
         * @throws NullPointerException if settings is null
         */
        public Dhcp {
            Objects.requireNonNull(settings, "settings");
        }
    }
}
