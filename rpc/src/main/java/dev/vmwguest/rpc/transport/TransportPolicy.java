package dev.vmwguest.rpc.transport;

import dev.vmwguest.rpc.TransportKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which transports to try, in which order.
 *
 * <table>
 * <caption>Configuration</caption>
 * <tr><th>property</th><th>environment</th><th>values</th></tr>
 * <tr><td>{@code vmwguest.transport}</td><td>{@code VMWGUEST_TRANSPORT}</td>
 *     <td>{@code auto} (default: {@code vsock-privileged,vsock,backdoor}, vsock only where CPUID says
 *     VMware), a comma-separated order of {@code vsock-privileged}, {@code vsock}, {@code backdoor}
 *     (naming vsock explicitly skips the VMware check), or {@code privileged} alone: secure RPC,
 *     privileged vsock or nothing</td></tr>
 * </table>
 *
 * <p>The default follows open-vm-tools (transports.md section 3.1): vsock first,
 * the privileged bind before the unprivileged one, the backdoor last. The
 * unprivileged attempt follows a privileged one only when the kernel refused
 * the privileged bind ({@code EACCES}).
 *
 * @param order    the transports to try, first preferred; not empty, no repeats
 * @param explicit whether the user chose this order (then vsock is tried even where CPUID does not say
 *                 VMware); false for {@link #defaults()}
 */
public record TransportPolicy(List<TransportKind> order, boolean explicit) {

    /** System property naming the order. */
    public static final String PROPERTY = "vmwguest.transport";
    /** Environment variable naming the order. */
    public static final String ENV = "VMWGUEST_TRANSPORT";

    /**
     * Validates and copies the order.
     *
     * @param order the transports to try, first first; not empty, no repeats
     * @param explicit whether the user named the order (then vsock is tried on any hypervisor)
     */
    public TransportPolicy {
        order = List.copyOf(order);
        if (order.isEmpty()) {
            throw new IllegalArgumentException("a transport policy needs at least one transport");
        }
        Set<TransportKind> seen = EnumSet.noneOf(TransportKind.class);
        for (TransportKind kind : order) {
            if (!seen.add(kind)) {
                throw new IllegalArgumentException("transport " + kind + " named twice in " + order);
            }
        }
    }

    /**
     * vsock-privileged, vsock, backdoor; vsock only on VMware.
     *
     * @return the default policy
     */
    public static TransportPolicy defaults() {
        return new TransportPolicy(List.of(TransportKind.VSOCK_PRIVILEGED, TransportKind.VSOCK,
                TransportKind.BACKDOOR), false);
    }

    /**
     * The backdoor only: what every client did before vsock support.
     *
     * @return the backdoor only
     */
    public static TransportPolicy backdoorOnly() {
        return of(TransportKind.BACKDOOR);
    }

    /**
     * Privileged vsock or nothing: for commands the VM's policy restricts.
     * Opening fails with {@link PrivilegedTransportUnavailableException}
     * instead of falling back to a transport the host would refuse.
     *
     * @return a policy with privileged vsock only
     */
    public static TransportPolicy privilegedOnly() {
        return of(TransportKind.VSOCK_PRIVILEGED);
    }

    /**
     * Exactly {@code kinds}, in this order, as an explicit choice.
     *
     * @param kinds the transports to try, first first
     * @return a policy trying exactly {@code kinds}
     */
    public static TransportPolicy of(TransportKind... kinds) {
        return new TransportPolicy(List.of(kinds), true);
    }

    /**
     * The policy of this process: {@value #PROPERTY}, then {@value #ENV}, else the default.
     *
     * @return the policy of this process
     */
    public static TransportPolicy fromEnvironment() {
        return from(System.getProperties(), System.getenv());
    }

    /**
     * Reads the policy from the given properties and environment; the
     * property wins.
     *
     * @param properties system properties, such as {@link System#getProperties()}
     * @param environment environment variables, such as {@link System#getenv()}
     * @return the policy these sources ask for, or the default
     * @throws IllegalArgumentException on a value that is not a valid order, naming where it came from
     */
    public static TransportPolicy from(Properties properties, Map<String, String> environment) {
        String value = properties.getProperty(PROPERTY);
        String source = PROPERTY;
        if (value == null || value.isBlank()) {
            value = environment.get(ENV);
            source = ENV;
        }
        if (value == null || value.isBlank()) {
            return defaults();
        }
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is '" + value + "': " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code auto} or a comma-separated order such as
     * {@code vsock,backdoor}.
     *
     * @param value the text, as written in {@code vmwguest.transport}
     * @return the policy {@code value} names
     * @throws IllegalArgumentException on an unknown or repeated name
     */
    public static TransportPolicy parse(String value) {
        String trimmed = value.trim();
        if (trimmed.toLowerCase(Locale.ROOT).equals("auto")) {
            return defaults();
        }
        List<TransportKind> kinds = new ArrayList<>();
        for (String name : trimmed.split(",")) {
            kinds.add(TransportKind.parse(name));
        }
        return new TransportPolicy(kinds, true);
    }

    /**
     * Whether only a privileged transport will do (secure RPC).
     *
     * @return whether only a privileged transport will do (secure RPC)
     */
    public boolean requiresPrivilege() {
        return order.equals(List.of(TransportKind.VSOCK_PRIVILEGED));
    }

    /** The order as it would be written in {@value #PROPERTY}, e.g. {@code vsock,backdoor}. */
    @Override
    public String toString() {
        String names = order.stream().map(TransportKind::configName).collect(Collectors.joining(","));
        return explicit ? names : "auto (" + names + ")";
    }
}
