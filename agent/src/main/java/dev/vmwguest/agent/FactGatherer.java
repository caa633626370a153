package dev.vmwguest.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@link GuestFacts} from {@link FactSources} with vmtoolsd's selection rules (guest-info.md 2.6). */
final class FactGatherer {

    private FactGatherer() {
    }

    static GuestFacts gather(FactSources s, AgentSettings settings) throws IOException {
        String hostName = s.hostName().read().orElse("").strip();
        OsIdentity os = OsDetector.detect(s.osRelease().read().orElse(null), s.osType().read().orElse("").strip(),
                s.kernelRelease().read().orElse("").strip(), s.architecture());
        List<InterfaceSnapshot> reported = reportedInterfaces(s.interfaces().interfaces(), settings);
        List<GuestNic> nics = new ArrayList<>();
        Map<String, Integer> nicOfDevice = new HashMap<>();
        Map<String, Integer> nicOfMac = new HashMap<>();
        for (InterfaceSnapshot nic : reported) {
            if (nics.size() == NicInfoEncoder.MAX_NICS) {
                break;
            }
            List<NicAddress> addresses = nic.addresses().stream()
                    .filter(a -> !a.address().isLoopbackAddress()).toList();
            nicOfMac.putIfAbsent(nic.macAddress(), nics.size());
            nics.add(new GuestNic(nic.name(), nic.macAddress(), addresses));
        }
        for (InterfaceSnapshot nic : reported) {
            Integer index = nicOfMac.get(nic.macAddress());
            if (index != null) {
                nicOfDevice.put(nic.name(), index);   // vmtoolsd finds a route's NIC by the device's MAC
            }
        }
        List<GuestRoute> routes = RouteTable.parse(s.ipv4Routes().read().orElse(""), s.ipv6Routes().read().orElse(""),
                nicOfDevice);
        DnsConfig dns = s.resolvConf().read().map(text -> {
            try {
                return ResolverConf.parse(text, s.nameServers().read().orElse(null), hostName);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).orElse(null);
        return new GuestFacts(hostName, os, new NetworkInfo(nics, routes, dns), primaryIp(nics),
                uptime(s.uptime().read().orElse("0")), s.disks().disks());
    }

    /** Up, not loopback, with a MAC, not excluded; primary ones first, low-priority ones last. */
    private static List<InterfaceSnapshot> reportedInterfaces(List<InterfaceSnapshot> all, AgentSettings settings) {
        List<Pattern> exclude = NicPattern.compile(settings.excludeNics());
        List<Pattern> primary = NicPattern.compile(settings.primaryNics());
        List<Pattern> low = NicPattern.compile(settings.lowPriorityNics());
        List<InterfaceSnapshot> first = new ArrayList<>();
        List<InterfaceSnapshot> normal = new ArrayList<>();
        List<InterfaceSnapshot> last = new ArrayList<>();
        for (InterfaceSnapshot nic : all) {
            if (!nic.up() || nic.loopback() || nic.macAddress() == null || NicPattern.any(exclude, nic.name())) {
                continue;
            }
            if (NicPattern.any(primary, nic.name())) {
                first.add(nic);
            } else if (NicPattern.any(low, nic.name())) {
                last.add(nic);
            } else {
                normal.add(nic);
            }
        }
        first.addAll(normal);
        first.addAll(last);
        return first;
    }

    private static String primaryIp(List<GuestNic> nics) {
        for (GuestNic nic : nics) {
            for (NicAddress address : nic.addresses()) {
                InetAddress a = address.address();
                if (AddressOrder.primaryCandidate(a)) {
                    return AddressText.of(a);
                }
            }
        }
        return "";
    }

    /** {@code /proc/uptime}'s first field, seconds with two decimals, as hundredths. */
    static long uptime(String text) {
        String first = text.strip().split("\\s+")[0];
        int dot = first.indexOf('.');
        try {
            if (dot < 0) {
                return Long.parseLong(first) * 100;
            }
            String fraction = (first.substring(dot + 1) + "00").substring(0, 2);
            return Long.parseLong(first.substring(0, dot)) * 100 + Long.parseLong(fraction);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
