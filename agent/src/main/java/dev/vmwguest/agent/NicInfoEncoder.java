package dev.vmwguest.agent;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes {@link NetworkInfo} as the payloads of {@code SetGuestInfo} types 10, 9 and 2, byte for byte
 * as vmtoolsd (open-vm-tools 12.2, Linux) does (guest-info.md sections 2.1-2.7; open-vm-tools
 * lib/guestRpc/nicinfo.x). The payload excludes the {@code SetGuestInfo  <type> } preamble.
 *
 * <p>Values as vmtoolsd sets them on Linux: address origin absent; status present, preferred for
 * IPv4 and unknown for IPv6; per-NIC DNS, WINS and DHCP absent; route type 0; top-level DNS present
 * when known.
 */
public final class NicInfoEncoder {

    /** NICINFO_MAX_NICS. */
    public static final int MAX_NICS = 16;
    /** NICINFO_MAX_IPS: addresses per NIC in V3 (type 10). */
    public static final int MAX_IPS_V3 = 2048;
    /** Addresses per NIC that hosts knowing only type 9 accept. */
    public static final int MAX_IPS_V2 = 64;
    /** NICINFO_MAX_ROUTES. */
    public static final int MAX_ROUTES = 100;

    private static final int IAT_IPV4 = 1;
    private static final int IAT_IPV6 = 2;
    private static final int IAS_PREFERRED = 1;
    private static final int IAS_UNKNOWN = 5;
    private static final int V1_NIC_BYTES = 152;
    private static final int V1_MAX_IPS = 8;

    private NicInfoEncoder() {
    }

    /**
     * The {@code GuestNicProto} union with a {@code NicInfoV3}: type 10 with {@link #MAX_IPS_V3},
     * or the first fallback (type 9) with {@link #MAX_IPS_V2}.
     *
     * @param info           what to report
     * @param maxIpsPerNic   addresses kept per NIC (the rest are dropped, as vmtoolsd does)
     * @return the XDR payload
     */
    public static byte[] v3(NetworkInfo info, int maxIpsPerNic) {
        Xdr xdr = new Xdr().u32(3).bool(true);
        List<GuestNic> nics = limit(info.nics(), MAX_NICS);
        xdr.u32(nics.size());
        for (GuestNic nic : nics) {
            xdr.string(nic.macAddress());
            List<NicAddress> ips = limit(nic.addresses(), maxIpsPerNic);
            xdr.u32(ips.size());
            for (NicAddress ip : ips) {
                typed(xdr, ip.address());
                xdr.u32(ip.prefixLength());
                xdr.bool(false);                                   // origin: not known on Linux
                xdr.bool(true).u32(ip.isIpv4() ? IAS_PREFERRED : IAS_UNKNOWN);
            }
            xdr.bool(false).bool(false).bool(false).bool(false);   // per-NIC DNS, WINS, DHCPv4, DHCPv6
        }
        List<GuestRoute> routes = info.routes().stream().filter(r -> r.nicIndex() < nics.size())
                .limit(MAX_ROUTES).toList();
        xdr.u32(routes.size());
        for (GuestRoute route : routes) {
            typed(xdr, route.destination());
            xdr.u32(route.prefixLength());
            xdr.bool(route.nextHop() != null);
            if (route.nextHop() != null) {
                typed(xdr, route.nextHop());
            }
            xdr.u32(route.nicIndex()).u32(0).u32(route.metric());   // type 0: vmtoolsd leaves it unset
        }
        DnsConfig dns = info.dns();
        xdr.bool(dns != null);
        if (dns != null) {
            xdr.bool(true).string(dns.hostName());
            xdr.bool(true).string(dns.domainName());
            List<InetAddress> servers = limit(dns.servers(), 16);
            xdr.u32(servers.size());
            servers.forEach(s -> typed(xdr, s));
            List<String> suffixes = limit(dns.searchSuffixes(), 10);
            xdr.u32(suffixes.size());
            suffixes.forEach(xdr::string);
        }
        xdr.bool(false).bool(false).bool(false);                   // WINS, DHCPv4, DHCPv6
        return xdr.toByteArray();
    }

    /**
     * The second fallback (type 9): {@code GuestNicProto} version 2, a {@code GuestNicList} built from
     * the first 64 addresses of each NIC; text addresses, decimal prefix lengths, DHCP unknown (0).
     *
     * @param info what to report
     * @return the XDR payload
     */
    public static byte[] v2(NetworkInfo info) {
        Xdr xdr = new Xdr().u32(2).bool(true);
        List<GuestNic> nics = limit(info.nics(), MAX_NICS);
        xdr.u32(nics.size());
        for (GuestNic nic : nics) {
            xdr.fixedChars(nic.macAddress(), 18);
            List<NicAddress> ips = limit(nic.addresses(), MAX_IPS_V2);
            xdr.u32(ips.size());
            for (NicAddress ip : ips) {
                xdr.u32(ip.isIpv4() ? 0 : 1).u32(0);
                xdr.fixedChars(AddressText.of(ip.address()), 64);
                xdr.fixedChars(Integer.toString(ip.prefixLength()), 64);
            }
        }
        return xdr.toByteArray();
    }

    /**
     * The last fallback (type 2): the packed little-endian {@code GuestNicInfoV1} struct, IPv4 only,
     * at most 16 NICs of 8 addresses. Unlike vmtoolsd, which leaves a slot empty for each skipped IPv6
     * address, the IPv4 strings are packed from slot 0, so that {@code numIPs} covers all of them.
     *
     * @param info what to report
     * @return the 2436-byte payload
     */
    public static byte[] v1(NetworkInfo info) {
        ByteBuffer out = ByteBuffer.allocate(4 + MAX_NICS * V1_NIC_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        List<GuestNic> nics = limit(info.nics(), MAX_NICS);
        out.putInt(nics.size());
        for (int n = 0; n < nics.size(); n++) {
            int base = 4 + n * V1_NIC_BYTES;
            List<NicAddress> v4 = nics.get(n).addresses().stream().filter(NicAddress::isIpv4)
                    .limit(V1_MAX_IPS).toList();
            out.putInt(base, v4.size());
            out.put(base + 4, nics.get(n).macAddress().getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < v4.size(); i++) {
                out.put(base + 23 + 16 * i, AddressText.of(v4.get(i).address()).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.array();
    }

    private static void typed(Xdr xdr, InetAddress address) {
        xdr.u32(address instanceof Inet4Address ? IAT_IPV4 : IAT_IPV6).opaque(address.getAddress());
    }

    private static <T> List<T> limit(List<T> list, int max) {
        return list.size() <= max ? list : list.subList(0, max);
    }
}
