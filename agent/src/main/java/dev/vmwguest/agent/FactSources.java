package dev.vmwguest.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the agent reads guest facts from. Each fact has a small replaceable source; tests inject a
 * whole machine state by replacing all of them.
 *
 * <p>{@link #system()} reads this machine. On Linux: the JDK's interfaces, {@code /proc/net/route},
 * {@code /proc/net/ipv6_route}, {@code /etc/resolv.conf} (name servers from
 * {@code /run/systemd/resolve/resolv.conf} when {@code /etc/resolv.conf} is systemd-resolved's stub,
 * as vmtoolsd does), {@code /etc/os-release} (else {@code /usr/lib/os-release}),
 * {@code /proc/sys/kernel/{ostype,osrelease,hostname}} and {@code /proc/uptime}. Elsewhere the
 * {@code /proc} and {@code /etc} sources are absent and the fallbacks are: no routes; no resolver
 * configuration (NIC info then carries no DNS section); OS from {@code os.name}/{@code os.version};
 * host name from the {@code HOSTNAME} or {@code COMPUTERNAME} environment variable; uptime from the
 * JVM's start (the process start time).
 *
 * @param interfaces    the network interfaces
 * @param ipv4Routes    text in {@code /proc/net/route} format
 * @param ipv6Routes    text in {@code /proc/net/ipv6_route} format
 * @param resolvConf    text in {@code resolv.conf} format (domain, search, name servers)
 * @param nameServers   text in {@code resolv.conf} format whose {@code nameserver} lines replace those
 *                      of {@code resolvConf}, or absent
 * @param osRelease     text in {@code os-release} format
 * @param osType        the kernel name ({@code uname -s}), e.g. {@code Linux}
 * @param kernelRelease the kernel release ({@code uname -r})
 * @param hostName      the host name ({@code gethostname()})
 * @param uptime        text in {@code /proc/uptime} format (seconds with two decimals first)
 * @param architecture  the CPU architecture as {@code os.arch} names it
 * @param disks         the mounted file systems
 */
public record FactSources(InterfaceSource interfaces, TextSource ipv4Routes, TextSource ipv6Routes,
        TextSource resolvConf, TextSource nameServers, TextSource osRelease, TextSource osType,
        TextSource kernelRelease, TextSource hostName, TextSource uptime, String architecture, DiskSource disks) {

    /**
     * Checks for nulls.
     *
     * @param interfaces    the network interfaces
     * @param ipv4Routes    text in {@code /proc/net/route} format
     * @param ipv6Routes    text in {@code /proc/net/ipv6_route} format
     * @param resolvConf    text in {@code resolv.conf} format (domain, search, name servers)
     * @param nameServers   text in {@code resolv.conf} format whose {@code nameserver} lines replace those
     *                      of {@code resolvConf}, or absent
     * @param osRelease     text in {@code os-release} format
     * @param osType        the kernel name ({@code uname -s}), e.g. {@code Linux}
     * @param kernelRelease the kernel release ({@code uname -r})
     * @param hostName      the host name ({@code gethostname()})
     * @param uptime        text in {@code /proc/uptime} format (seconds with two decimals first)
     * @param architecture  the CPU architecture as {@code os.arch} names it
     * @param disks         the mounted file systems
     * @throws NullPointerException if a component is null
     */
    public FactSources {
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(ipv4Routes, "ipv4Routes");
        Objects.requireNonNull(ipv6Routes, "ipv6Routes");
        Objects.requireNonNull(resolvConf, "resolvConf");
        Objects.requireNonNull(nameServers, "nameServers");
        Objects.requireNonNull(osRelease, "osRelease");
        Objects.requireNonNull(osType, "osType");
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(disks, "disks");
    }

    /**
     * This machine's sources, with the fallbacks in the class description.
     *
     * @return the sources
     */
    public static FactSources system() {
        Path proc = Path.of("/proc/sys/kernel");
        TextSource osType = fallback(TextSource.file(proc.resolve("ostype")), System.getProperty("os.name", ""));
        TextSource kernel = fallback(TextSource.file(proc.resolve("osrelease")), System.getProperty("os.version", ""));
        String envHost = Optional.ofNullable(System.getenv("HOSTNAME")).or(() -> Optional.ofNullable(
                System.getenv("COMPUTERNAME"))).orElse("localhost");
        TextSource host = fallback(TextSource.file(proc.resolve("hostname")), envHost);
        TextSource uptime = fallback(TextSource.file(Path.of("/proc/uptime")), null);
        return new FactSources(InterfaceSource.jdk(), TextSource.file(Path.of("/proc/net/route")),
                TextSource.file(Path.of("/proc/net/ipv6_route")), TextSource.file(Path.of("/etc/resolv.conf")),
                systemdNameServers(), TextSource.firstOf(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release")),
                osType, kernel, host, uptime, System.getProperty("os.arch", ""), DiskSource.system());
    }

    private static TextSource systemdNameServers() {
        return () -> {
            Path resolv = Path.of("/etc/resolv.conf");
            if (Files.exists(resolv)
                    && resolv.toRealPath().equals(Path.of("/run/systemd/resolve/stub-resolv.conf"))) {
                return TextSource.file(Path.of("/run/systemd/resolve/resolv.conf")).read();
            }
            return Optional.empty();
        };
    }

    private static TextSource fallback(TextSource primary, @Nullable String otherwise) {
        return () -> {
            Optional<String> text = primary.read();
            if (text.isPresent()) {
                return text.map(String::strip);
            }
            if (otherwise == null) {
                java.time.Instant started = ProcessHandle.current().info().startInstant().orElse(java.time.Instant.now());
                long hundredths = java.time.Duration.between(started, java.time.Instant.now()).toMillis() / 10;
                return Optional.of(hundredths / 100 + "." + String.format("%02d", hundredths % 100));
            }
            return Optional.of(otherwise);
        };
    }
}
