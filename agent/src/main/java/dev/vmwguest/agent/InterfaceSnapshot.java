package dev.vmwguest.agent;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One network interface of the guest as a fact source sees it.
 *
 * @param name       the interface name, e.g. {@code eth0}
 * @param macAddress lower-case {@code aa:bb:cc:dd:ee:ff}, or null without a link-layer address
 * @param up         whether the interface is up
 * @param loopback   whether it is a loopback interface
 * @param addresses  its addresses, in the order the OS lists them
 */
public record InterfaceSnapshot(String name, @Nullable String macAddress, boolean up, boolean loopback,
        List<NicAddress> addresses) {

    /**
     * Copies the address list.
     *
     * @param name       the interface name, e.g. {@code eth0}
     * @param macAddress lower-case {@code aa:bb:cc:dd:ee:ff}, or null without a link-layer address
     * @param up         whether the interface is up
     * @param loopback   whether it is a loopback interface
     * @param addresses  its addresses, in the order the OS lists them
     * @throws NullPointerException if a non-nullable component is null
     */
    public InterfaceSnapshot {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
    }
}
