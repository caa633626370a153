package dev.vmwguest.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code /proc/net/route} and {@code /proc/net/ipv6_route} into {@link GuestRoute}s as vmtoolsd
 * does (open-vm-tools lib/nicInfo/nicInfoPosix.c:1342-1572, lib/slashProc/net.c): only routes with
 * RTF_UP, at most 100 read per family, a route is kept only if its device is a reported NIC (found
 * through the device's MAC), the gateway only with RTF_GATEWAY, IPv4 before IPv6, 100 in all.
 * Malformed lines are skipped.
 */
final class RouteTable {

    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    private RouteTable() {
    }

    /**
     * @param nicOfDevice reported NIC index by device name
     */
    static List<GuestRoute> parse(String ipv4, String ipv6, Map<String, Integer> nicOfDevice) {
        List<GuestRoute> routes = new ArrayList<>();
        int read = 0;
        for (String line : ipv4.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface") || read >= NicInfoEncoder.MAX_ROUTES) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                if ((flags & RTF_UP) == 0) {
                    continue;
                }
                read++;
                Integer nic = nicOfDevice.get(f[0]);
                if (nic == null || routes.size() >= NicInfoEncoder.MAX_ROUTES) {
                    continue;
                }
                int mask = (int) Long.parseLong(f[7], 16);
                routes.add(new GuestRoute(v4(f[1]), Integer.bitCount(mask),
                        (flags & RTF_GATEWAY) != 0 ? v4(f[2]) : null, nic, Long.parseLong(f[6]) & 0xFFFF_FFFFL));
            } catch (IllegalArgumentException e) {
                // a line this parser does not understand: skipped, as a kernel line it cannot be
            }
        }
        read = 0;
        for (String line : ipv6.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || read >= NicInfoEncoder.MAX_ROUTES) {
                continue;
            }
            try {
                long flags = Long.parseLong(f[8], 16);
                if ((flags & RTF_UP) == 0) {
                    continue;
                }
                read++;
                Integer nic = nicOfDevice.get(f[9]);
                if (nic == null || routes.size() >= NicInfoEncoder.MAX_ROUTES) {
                    continue;
                }
                routes.add(new GuestRoute(v6(f[0]), Integer.parseInt(f[1], 16),
                        (flags & RTF_GATEWAY) != 0 ? v6(f[4]) : null, nic, Long.parseLong(f[5], 16)));
            } catch (IllegalArgumentException e) {
                // skipped, see above
            }
        }
        return routes;
    }

    /** {@code /proc/net/route} writes addresses as host-order (little-endian on x86) hex words. */
    private static InetAddress v4(String hex) {
        long value = Long.parseLong(hex, 16);
        byte[] bytes = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        return address(bytes);
    }

    private static InetAddress v6(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("IPv6 address of " + hex.length() + " hex digits");
        }
        return address(HexFormat.of().parseHex(hex));
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
