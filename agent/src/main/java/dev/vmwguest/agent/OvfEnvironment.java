package dev.vmwguest.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The OVF environment vSphere passes in {@code guestinfo.ovfEnv} (guest-info.md 5.1).
 *
 * @param id         the {@code oe:id} attribute, often empty
 * @param vCenterId  the {@code ve:vCenterId} attribute (the VM's managed object id), or empty
 * @param properties vApp properties by key, from the first {@code PropertySection}, in document order
 * @param platform   the {@code PlatformSection}, or null
 * @param adapters   the {@code ve:EthernetAdapterSection} adapters
 */
public record OvfEnvironment(String id, String vCenterId, Map<String, String> properties, @Nullable Platform platform,
        List<Adapter> adapters) {

    /**
     * Copies.
     *
     * @param id         the {@code oe:id} attribute, often empty
     * @param vCenterId  the {@code ve:vCenterId} attribute (the VM's managed object id), or empty
     * @param properties vApp properties by key, from the first {@code PropertySection}, in document order
     * @param platform   the {@code PlatformSection}, or null
     * @param adapters   the {@code ve:EthernetAdapterSection} adapters
     * @throws NullPointerException if a non-nullable component is null
     */
    public OvfEnvironment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vCenterId, "vCenterId");
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        adapters = List.copyOf(adapters);
    }

    /**
     * One property.
     *
     * @param key the {@code oe:key}
     * @return its {@code oe:value}, empty if absent
     */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /**
     * The platform section; each field empty when absent.
     *
     * @param kind    e.g. {@code VMware ESXi}
     * @param version e.g. {@code 8.0.2}
     * @param vendor  e.g. {@code VMware, Inc.}
     * @param locale  e.g. {@code en}
     */
    public record Platform(String kind, String version, String vendor, String locale) {
    }

    /**
     * One virtual NIC as the environment describes it.
     *
     * @param mac        its MAC
     * @param network    the port group
     * @param unitNumber the device unit number, as text
     */
    public record Adapter(String mac, String network, String unitNumber) {
    }
}
