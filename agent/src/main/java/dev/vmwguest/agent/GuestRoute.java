package dev.vmwguest.agent;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One routing-table entry as reported in NIC info V3.
 *
 * @param destination  the destination network
 * @param prefixLength the destination prefix length
 * @param nextHop      the gateway, or null for a directly connected route
 * @param nicIndex     0-based index of the outgoing NIC in the reported NIC list
 * @param metric       the kernel's route metric, unsigned 32 bits
 */
public record GuestRoute(InetAddress destination, int prefixLength, @Nullable InetAddress nextHop, int nicIndex,
        long metric) {

    /**
     * Validates.
     *
     * @param destination  the destination network
     * @param prefixLength the destination prefix length
     * @param nextHop      the gateway, or null for a directly connected route
     * @param nicIndex     0-based index of the outgoing NIC in the reported NIC list
     * @param metric       the kernel's route metric, unsigned 32 bits
     * @throws IllegalArgumentException on a negative index, prefix or a metric outside 32 bits
     */
    public GuestRoute {
        Objects.requireNonNull(destination, "destination");
        if (prefixLength < 0 || prefixLength > 128 || nicIndex < 0 || metric < 0 || metric > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bad route: prefix " + prefixLength + ", nic " + nicIndex
                    + ", metric " + metric);
        }
    }

    /**
     * The gateway, if any.
     *
     * @return the next hop, empty for a directly connected route
     */
    public Optional<InetAddress> gateway() {
        return Optional.ofNullable(nextHop);
    }
}
