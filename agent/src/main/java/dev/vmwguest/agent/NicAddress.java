package dev.vmwguest.agent;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One address of a guest NIC, as reported in NIC info.
 *
 * @param address      the IPv4 or IPv6 address (an IPv6 scope id is not sent)
 * @param prefixLength the network prefix length: 0-32 for IPv4, 0-128 for IPv6
 */
public record NicAddress(InetAddress address, int prefixLength) {

    /**
     * Validates the prefix length against the address family.
     *
     * @param address      the IPv4 or IPv6 address (an IPv6 scope id is not sent)
     * @param prefixLength the network prefix length: 0-32 for IPv4, 0-128 for IPv6
     * @throws IllegalArgumentException if the prefix length is out of range for the family
     */
    public NicAddress {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0.." + max
                    + " for " + address.getHostAddress());
        }
    }

    /**
     * Whether this is an IPv4 address.
     *
     * @return true for IPv4, false for IPv6
     */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }
}
