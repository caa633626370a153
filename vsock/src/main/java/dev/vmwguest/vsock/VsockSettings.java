package dev.vmwguest.vsock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Where vsock connects and how long it waits, read from system properties
 * first and environment variables second.
 *
 * <table>
 * <caption>Configuration</caption>
 * <tr><th>property</th><th>environment</th><th>meaning</th></tr>
 * <tr><td>{@code vmwguest.vsock.cid}</td><td>{@code VMWGUEST_VSOCK_CID}</td>
 *     <td>destination CID; default 0, the hypervisor. Setting it skips the VMware check</td></tr>
 * <tr><td>{@code vmwguest.vsock.rpci.port}</td><td>{@code VMWGUEST_VSOCK_RPCI_PORT}</td><td>default 976</td></tr>
 * <tr><td>{@code vmwguest.vsock.tclo.port}</td><td>{@code VMWGUEST_VSOCK_TCLO_PORT}</td><td>default 975</td></tr>
 * <tr><td>{@code vmwguest.vsock.standin}</td><td>{@code VMWGUEST_VSOCK_STANDIN}</td>
 *     <td>a directory: use the Unix-socket stand-in there instead of AF_VSOCK (tests, the
 *     simulator); never chosen implicitly</td></tr>
 * <tr><td>{@code vmwguest.vsock.reply.timeout}</td><td>{@code VMWGUEST_VSOCK_REPLY_TIMEOUT}</td>
 *     <td>milliseconds to wait for an RPCI reply; default 10,000</td></tr>
 * </table>
 *
 * @param cid              destination CID (unsigned)
 * @param rpciPort         the host's RPCI port
 * @param tcloPort         the host's TCLO port
 * @param standIn          the stand-in directory, when configured
 * @param cidConfigured    whether the user set the CID (then vsock is tried without CPUID saying VMware)
 * @param connectTimeout   how long the kernel waits for a connect; its own default is 2 s
 * @param replyTimeout     how long an RPCI reply may take; open-vm-tools waits forever, which a JVM
 *                         thread should not (transports.md 3.2 point 6)
 * @param heartbeat        the TCLO heartbeat interval: 1 s, as vmtoolsd (HA monitoring depends on it)
 */
public record VsockSettings(int cid, int rpciPort, int tcloPort, Optional<Path> standIn, boolean cidConfigured,
        Duration connectTimeout, Duration replyTimeout, Duration heartbeat) {

    /** {@code VMADDR_CID_HYPERVISOR}: the VMX. */
    public static final int HYPERVISOR_CID = 0;
    /** {@code GUESTRPC_RPCI_VSOCK_LISTEN_PORT}. */
    public static final int RPCI_PORT = 976;
    /** {@code GUESTRPC_TCLO_VSOCK_LISTEN_PORT}. */
    public static final int TCLO_PORT = 975;
    /** The kernel's {@code VSOCK_DEFAULT_CONNECT_TIMEOUT}. */
    public static final Duration KERNEL_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default RPCI reply timeout. */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** vmtoolsd's {@code RPCIN_HEARTBEAT_INTERVAL}. */
    public static final Duration HEARTBEAT = Duration.ofMillis(1000);

    /** System property: destination CID. */
    public static final String CID_PROPERTY = "vmwguest.vsock.cid";
    /** System property: RPCI port. */
    public static final String RPCI_PORT_PROPERTY = "vmwguest.vsock.rpci.port";
    /** System property: TCLO port. */
    public static final String TCLO_PORT_PROPERTY = "vmwguest.vsock.tclo.port";
    /** System property: stand-in directory. */
    public static final String STANDIN_PROPERTY = "vmwguest.vsock.standin";
    /** System property: RPCI reply timeout in milliseconds. */
    public static final String REPLY_TIMEOUT_PROPERTY = "vmwguest.vsock.reply.timeout";

    /**
     * Validates the settings.
     *
     * @param cid destination CID (unsigned)
     * @param rpciPort the host's RPCI port
     * @param tcloPort the host's TCLO port
     * @param standIn the stand-in directory, when configured
     * @param cidConfigured whether the user set the CID (then vsock is tried without CPUID saying VMware)
     * @param connectTimeout how long the kernel waits for a connect; positive
     * @param replyTimeout how long an RPCI reply may take; positive
     * @param heartbeat the TCLO heartbeat interval; positive
     */
    public VsockSettings {
        Objects.requireNonNull(standIn, "standIn");
        for (Duration d : new Duration[] {connectTimeout, replyTimeout, heartbeat}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
        if (rpciPort < 0 || tcloPort < 0) {
            throw new IllegalArgumentException("ports must not be negative: " + rpciPort + ", " + tcloPort);
        }
    }

    /**
     * CID 0, ports 976/975, no stand-in, the kernel's connect timeout, 10 s replies, 1 s heartbeat.
     *
     * @return the default settings
     */
    public static VsockSettings defaults() {
        return new VsockSettings(HYPERVISOR_CID, RPCI_PORT, TCLO_PORT, Optional.empty(), false,
                KERNEL_CONNECT_TIMEOUT, DEFAULT_REPLY_TIMEOUT, HEARTBEAT);
    }

    /**
     * The settings of this process.
     *
     * @return the settings of this process
     */
    public static VsockSettings fromEnvironment() {
        return from(System.getProperties(), System.getenv());
    }

    /**
     * Reads settings; a property wins over the variable of the same meaning.
     *
     * @param properties system properties, such as {@link System#getProperties()}
     * @param environment environment variables, such as {@link System#getenv()}
     * @return the settings these sources ask for, defaults where they say nothing
     * @throws IllegalArgumentException on a value that is not a number where one is needed, naming its source
     */
    public static VsockSettings from(Properties properties, Map<String, String> environment) {
        VsockSettings defaults = defaults();
        String cid = pick(properties, CID_PROPERTY, environment);
        String rpci = pick(properties, RPCI_PORT_PROPERTY, environment);
        String tclo = pick(properties, TCLO_PORT_PROPERTY, environment);
        String standIn = pick(properties, STANDIN_PROPERTY, environment);
        String reply = pick(properties, REPLY_TIMEOUT_PROPERTY, environment);
        return new VsockSettings(
                cid == null ? defaults.cid : number(CID_PROPERTY, cid),
                rpci == null ? defaults.rpciPort : number(RPCI_PORT_PROPERTY, rpci),
                tclo == null ? defaults.tcloPort : number(TCLO_PORT_PROPERTY, tclo),
                Optional.ofNullable(standIn).map(Path::of),
                cid != null,
                defaults.connectTimeout,
                reply == null ? defaults.replyTimeout : Duration.ofMillis(number(REPLY_TIMEOUT_PROPERTY, reply)),
                defaults.heartbeat);
    }

    /**
     * These settings using the stand-in in {@code directory}.
     *
     * @param directory the directory of the stand-in's Unix sockets
     * @return a copy of these settings with that stand-in
     */
    public VsockSettings withStandIn(Path directory) {
        return new VsockSettings(cid, rpciPort, tcloPort, Optional.of(directory), cidConfigured, connectTimeout,
                replyTimeout, heartbeat);
    }

    /**
     * These settings with another RPCI reply timeout.
     *
     * @param timeout how long to wait for an RPCI reply
     * @return a copy of these settings with that timeout
     */
    public VsockSettings withReplyTimeout(Duration timeout) {
        return new VsockSettings(cid, rpciPort, tcloPort, standIn, cidConfigured, connectTimeout, timeout,
                heartbeat);
    }

    /** The variable for a property: {@code vmwguest.vsock.rpci.port} is {@code VMWGUEST_VSOCK_RPCI_PORT}. */
    static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    private static @Nullable String pick(Properties properties, String property, Map<String, String> environment) {
        String value = properties.getProperty(property);
        if (value == null || value.isBlank()) {
            value = environment.get(environmentName(property));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static int number(String property, String value) {
        try {
            return Integer.parseUnsignedInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " / " + environmentName(property) + " is '" + value
                    + "'; expected a non-negative number", e);
        }
    }
}
