package dev.vmwguest.agent;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;

/** Address order and checks shared by the sources and the primary-IP choice. */
final class AddressOrder {

    /** IPv4 first; IPv6 by kernel scope order: global, site-local, link-local. Stable otherwise. */
    static final Comparator<NicAddress> LINUX = Comparator.comparingInt(AddressOrder::rank);

    private AddressOrder() {
    }

    private static int rank(NicAddress a) {
        InetAddress address = a.address();
        if (address instanceof Inet4Address) {
            return 0;
        }
        if (address.isLinkLocalAddress()) {
            return 3;
        }
        return address.isSiteLocalAddress() ? 2 : 1;
    }

    static InetAddress withoutScope(InetAddress address) {
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0 || address instanceof Inet6Address v6b
                && v6b.getScopedInterface() != null) {
            try {
                return InetAddress.getByAddress(address.getAddress());
            } catch (UnknownHostException e) {
                throw new AssertionError(e);   // 16 bytes are always a valid address
            }
        }
        return address;
    }

    /**
     * Whether vmtoolsd would pick {@code address} as the primary IP: not loopback, unspecified,
     * IPv6 link-local, IPv6 site-local or {@code fc00::/10}; IPv4 link-local is allowed
     * (open-vm-tools lib/nicInfo/nicInfoPosix.c:121-124, 502-571).
     */
    static boolean primaryCandidate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return false;
        }
        if (address instanceof Inet4Address) {
            return true;
        }
        byte[] b = address.getAddress();
        boolean uniqueLocalMacro = (b[0] & 0xFF) == 0xFC && (b[1] & 0xC0) == 0;
        return !address.isLinkLocalAddress() && !address.isSiteLocalAddress() && !uniqueLocalMacro;
    }
}
