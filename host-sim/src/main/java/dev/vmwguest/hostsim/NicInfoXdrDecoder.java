package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.BAD_VALUE;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decodes the XDR {@code GuestNicProto} of {@code SetGuestInfo} types 10 and 9
 * (guest-info.md sections 2.1-2.3, 2.7): a union on the version, NIC_INFO_V3
 * ({@code NicInfoV3}) or NIC_INFO_V2 ({@code GuestNicList}), each behind an
 * optional pointer. Every count and length is checked against its declared
 * maximum before anything is read; the payload must end with the structure.
 */
final class NicInfoXdrDecoder {

    static final int MAX_NICS = 16;
    /** {@code NICINFO_MAX_IPS}, what a type-10 host accepts per NIC. */
    static final int MAX_IPS_V3 = 2048;
    /** What hosts that only know type 9 accept per NIC (guest-info.md section 2.7, inferred there). */
    static final int MAX_IPS_TYPE_9 = 64;
    private static final int MAC_LEN = 18;
    private static final int INET_ADDRESS_MAX_LEN = 255;
    private static final int DNS_MAX_NAME = 255;
    private static final int DNS_MAX_SUFFIXES = 10;
    private static final int DNS_MAX_SERVERS = 16;
    private static final int MAX_ROUTES = 100;
    private static final int DHCP_MAX_CONFIG_SIZE = 16384;
    private static final int V2_MAX_IP_LEN = 64;

    private NicInfoXdrDecoder() {
    }

    /**
     * Decodes one payload (after the {@code SetGuestInfo  <type> } preamble).
     *
     * @throws GuestInfoDecodeException if it is not a well-formed {@code GuestNicProto}
     */
    static GuestNetwork decode(byte[] payload, int reportType, int maxIpsPerNic) {
        XdrReader in = new XdrReader(payload);
        int at = in.position();
        int version = in.u32("GuestNicProto.ver");
        GuestNetwork network;
        if (version == 3) {
            network = in.bool("nicInfoV3 pointer") ? v3(in, reportType, maxIpsPerNic)
                    : new GuestNetwork(reportType, 3, List.of(), List.of(), Optional.empty(), List.of(),
                            Optional.empty(), Optional.empty());
        } else if (version == 2) {
            List<GuestNetwork.Nic> nics = in.bool("nicsV2 pointer") ? v2(in, maxIpsPerNic) : List.of();
            network = new GuestNetwork(reportType, 2, nics, List.of(), Optional.empty(), List.of(), Optional.empty(),
                    Optional.empty());
        } else {
            throw new GuestInfoDecodeException(BAD_VALUE, at, "GuestNicProto has no arm for version " + version);
        }
        in.expectEnd("GuestNicProto");
        return network;
    }

    private static GuestNetwork v3(XdrReader in, int reportType, int maxIps) {
        int nicCount = in.count(MAX_NICS, "NicInfoV3.nics");
        List<GuestNetwork.Nic> nics = new ArrayList<>(nicCount);
        for (int n = 0; n < nicCount; n++) {
            String mac = in.string(MAC_LEN, "GuestNicV3.macAddress");
            int ipCount = in.count(maxIps, "GuestNicV3.ips");
            List<GuestNetwork.Address> addresses = new ArrayList<>(ipCount);
            for (int i = 0; i < ipCount; i++) {
                addresses.add(ipEntry(in));
            }
            Optional<GuestNetwork.Dns> dns = in.bool("GuestNicV3.dnsConfigInfo") ? Optional.of(dns(in))
                    : Optional.empty();
            List<String> wins = in.bool("GuestNicV3.winsConfigInfo") ? wins(in) : List.of();
            Optional<GuestNetwork.Dhcp> dhcp4 = optionalDhcp(in, "GuestNicV3.dhcpConfigInfov4");
            Optional<GuestNetwork.Dhcp> dhcp6 = optionalDhcp(in, "GuestNicV3.dhcpConfigInfov6");
            nics.add(new GuestNetwork.Nic(mac, addresses, dns, wins, dhcp4, dhcp6));
        }
        int routeCount = in.count(MAX_ROUTES, "NicInfoV3.routes");
        List<GuestNetwork.Route> routes = new ArrayList<>(routeCount);
        for (int r = 0; r < routeCount; r++) {
            String destination = typedAddress(in, "inetCidrRouteDest").text();
            int prefix = in.u32("inetCidrRoutePfxLen");
            Optional<String> nextHop = in.bool("inetCidrRouteNextHop")
                    ? Optional.of(typedAddress(in, "inetCidrRouteNextHop").text()) : Optional.empty();
            long nicIndex = in.unsigned("inetCidrRouteIfIndex");
            int type = in.u32("inetCidrRouteType");
            long metric = in.unsigned("inetCidrRouteMetric");
            routes.add(new GuestNetwork.Route(destination, prefix, nextHop, nicIndex, type, metric));
        }
        Optional<GuestNetwork.Dns> dns = in.bool("NicInfoV3.dnsConfigInfo") ? Optional.of(dns(in))
                : Optional.empty();
        List<String> wins = in.bool("NicInfoV3.winsConfigInfo") ? wins(in) : List.of();
        Optional<GuestNetwork.Dhcp> dhcp4 = optionalDhcp(in, "NicInfoV3.dhcpConfigInfov4");
        Optional<GuestNetwork.Dhcp> dhcp6 = optionalDhcp(in, "NicInfoV3.dhcpConfigInfov6");
        return new GuestNetwork(reportType, 3, nics, routes, dns, wins, dhcp4, dhcp6);
    }

    private static GuestNetwork.Address ipEntry(XdrReader in) {
        IpText.Typed address = typedAddress(in, "ipAddressAddr");
        int prefix = in.u32("ipAddressPrefixLength");
        OptionalInt origin = in.bool("ipAddressOrigin") ? OptionalInt.of(in.u32("ipAddressOrigin"))
                : OptionalInt.empty();
        OptionalInt status = in.bool("ipAddressStatus") ? OptionalInt.of(in.u32("ipAddressStatus"))
                : OptionalInt.empty();
        return new GuestNetwork.Address(address.text(), address.type(), OptionalInt.of(prefix), origin, status,
                Optional.empty());
    }

    private static IpText.Typed typedAddress(XdrReader in, String field) {
        int type = in.u32(field + ".type");
        int at = in.position();
        byte[] bytes = in.opaque(INET_ADDRESS_MAX_LEN, field);
        return IpText.typed(type, bytes, at, field);
    }

    private static GuestNetwork.Dns dns(XdrReader in) {
        Optional<String> host = in.bool("DnsConfigInfo.hostName")
                ? Optional.of(in.string(DNS_MAX_NAME, "DnsConfigInfo.hostName")) : Optional.empty();
        Optional<String> domain = in.bool("DnsConfigInfo.domainName")
                ? Optional.of(in.string(DNS_MAX_NAME, "DnsConfigInfo.domainName")) : Optional.empty();
        int serverCount = in.count(DNS_MAX_SERVERS, "DnsConfigInfo.serverList");
        List<String> servers = new ArrayList<>(serverCount);
        for (int i = 0; i < serverCount; i++) {
            servers.add(typedAddress(in, "DnsConfigInfo.serverList").text());
        }
        int suffixCount = in.count(DNS_MAX_SUFFIXES, "DnsConfigInfo.searchSuffixes");
        List<String> suffixes = new ArrayList<>(suffixCount);
        for (int i = 0; i < suffixCount; i++) {
            suffixes.add(in.string(DNS_MAX_NAME, "DnsConfigInfo.searchSuffixes"));
        }
        return new GuestNetwork.Dns(host, domain, servers, suffixes);
    }

    private static List<String> wins(XdrReader in) {
        return List.of(typedAddress(in, "WinsConfigInfo.primary").text(),
                typedAddress(in, "WinsConfigInfo.secondary").text());
    }

    private static Optional<GuestNetwork.Dhcp> optionalDhcp(XdrReader in, String field) {
        if (!in.bool(field)) {
            return Optional.empty();
        }
        boolean enabled = in.bool(field + ".enabled");
        return Optional.of(new GuestNetwork.Dhcp(enabled, in.string(DHCP_MAX_CONFIG_SIZE, field + ".dhcpSettings")));
    }

    /** V2 {@code GuestNicList}: fixed char arrays take 4 bytes per character. */
    private static List<GuestNetwork.Nic> v2(XdrReader in, int maxIps) {
        int nicCount = in.count(MAX_NICS, "GuestNicList.nics");
        List<GuestNetwork.Nic> nics = new ArrayList<>(nicCount);
        for (int n = 0; n < nicCount; n++) {
            String mac = in.charArray(MAC_LEN, "GuestNic.macAddress");
            int ipCount = in.count(maxIps, "GuestNic.ips");
            List<GuestNetwork.Address> addresses = new ArrayList<>(ipCount);
            for (int i = 0; i < ipCount; i++) {
                int at = in.position();
                int family = in.u32("VmIpAddress.addressFamily");
                if (family != 0 && family != 1) {
                    throw new GuestInfoDecodeException(BAD_VALUE, at, "VmIpAddress.addressFamily " + family
                            + " is neither NICINFO_ADDR_IPV4 (0) nor NICINFO_ADDR_IPV6 (1)");
                }
                int dhcpAt = in.position();
                int dhcp = in.u32("VmIpAddress.dhcpEnabled");
                if (dhcp != 0 && dhcp != 1) {
                    throw new GuestInfoDecodeException(BAD_VALUE, dhcpAt, "VmIpAddress.dhcpEnabled is " + dhcp);
                }
                String ip = in.charArray(V2_MAX_IP_LEN, "VmIpAddress.ipAddress");
                int maskAt = in.position();
                String mask = in.charArray(V2_MAX_IP_LEN, "VmIpAddress.subnetMask");
                addresses.add(new GuestNetwork.Address(ip, family == 0 ? 1 : 2,
                        OptionalInt.of(IpText.prefixOfMask(mask, maskAt)), OptionalInt.empty(), OptionalInt.empty(),
                        Optional.of(dhcp == 1)));
            }
            nics.add(new GuestNetwork.Nic(mac, addresses, Optional.empty(), List.of(), Optional.empty(),
                    Optional.empty()));
        }
        return nics;
    }
}
