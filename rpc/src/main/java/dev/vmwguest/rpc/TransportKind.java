package dev.vmwguest.rpc;

import java.util.Locale;

/**
 * The ways GuestRPC messages can reach the host, as named in
 * {@link dev.vmwguest.rpc.transport.TransportPolicy} settings.
 */
public enum TransportKind {

    /**
     * AF_VSOCK to the hypervisor from a source port below 1024, which the host
     * treats as privileged ("secure" RPC). Needs root or
     * {@code CAP_NET_BIND_SERVICE}; RPCI only (TCLO never binds).
     */
    VSOCK_PRIVILEGED("vsock-privileged"),

    /** AF_VSOCK from a port the kernel picks: never privileged. */
    VSOCK("vsock"),

    /** The backdoor GuestRPC channel (port I/O or hypercall): never privileged; TCLO is polled. */
    BACKDOOR("backdoor");

    private final String configName;

    TransportKind(String configName) {
        this.configName = configName;
    }

    /**
     * The name used in {@code vmwguest.transport} and in messages.
     *
     * @return the name used in {@code vmwguest.transport} and in messages
     */
    public String configName() {
        return configName;
    }

    /**
     * Whether this is one of the vsock transports.
     *
     * @return whether this is one of the vsock transports
     */
    public boolean isVsock() {
        return this != BACKDOOR;
    }

    /**
     * The kind named {@code name} ({@link #configName()}, case-insensitive;
     * {@code privileged} is accepted for {@code vsock-privileged}).
     *
     * @param name the name, as written in {@code vmwguest.transport}
     * @return the kind with that name
     * @throws IllegalArgumentException for any other name
     */
    public static TransportKind parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("privileged")) {
            return VSOCK_PRIVILEGED;
        }
        for (TransportKind kind : values()) {
            if (kind.configName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name
                + "'; expected vsock-privileged, vsock or backdoor");
    }

    @Override
    public String toString() {
        return configName;
    }
}
