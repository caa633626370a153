package dev.vmwguest.agent;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A replaceable source of the guest's network interfaces. */
@FunctionalInterface
public interface InterfaceSource {

    /**
     * Lists the interfaces, in the order the OS enumerates them.
     *
     * @return every interface, reported or not (the agent applies vmtoolsd's filters)
     * @throws IOException if the OS cannot be asked
     */
    List<InterfaceSnapshot> interfaces() throws IOException;

    /**
     * The JDK's {@link NetworkInterface}, on any OS. Interfaces are ordered by index (as
     * {@code getifaddrs} lists them on Linux); within one interface IPv4 addresses come before
     * IPv6 ones (glibc's order) and IPv6 addresses are ordered global scope first, then link-local,
     * as the Linux kernel keeps them. The order of several addresses of one family and scope is the
     * JDK's, which may differ from {@code getifaddrs}.
     *
     * @return the JDK-backed source
     */
    static InterfaceSource jdk() {
        return () -> {
            List<NetworkInterface> all = new ArrayList<>(NetworkInterface.networkInterfaces().toList());
            all.sort(Comparator.comparingInt(NetworkInterface::getIndex));
            List<InterfaceSnapshot> result = new ArrayList<>();
            for (NetworkInterface nic : all) {
                byte[] hardware = nic.getHardwareAddress();
                List<NicAddress> addresses = new ArrayList<>();
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    addresses.add(new NicAddress(AddressOrder.withoutScope(a.getAddress()),
                            Math.max(0, a.getNetworkPrefixLength())));
                }
                addresses.sort(AddressOrder.LINUX);
                result.add(new InterfaceSnapshot(nic.getName(),
                        hardware != null && hardware.length >= 6 ? GuestNic.formatMac(hardware) : null,
                        nic.isUp(), nic.isLoopback(), addresses));
            }
            return result;
        };
    }
}
