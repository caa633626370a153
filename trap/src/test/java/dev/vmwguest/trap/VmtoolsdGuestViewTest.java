package dev.vmwguest.trap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.GuestNetwork;
import dev.vmwguest.hostsim.GuestView;
import dev.vmwguest.hostsim.RpciHandlers;
import dev.vmwguest.hostsim.SimulatedHost;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: Debian's unmodified vmtoolsd, run under the trap launcher against the simulated host
 * with {@code [guestinfo] poll-interval = 1} (its first gather is one interval after start,
 * guest-info.md 1.4), reports this machine; {@link SimulatedHost#guest()} must show this
 * machine's host name, IPv4 addresses, OS and vmtoolsd's version, with nothing left undecoded.
 *
 * <p>vmtoolsd runs only where its VM check passes under the trap: with CPUID faulting (the trap
 * shows the VMware signature), or where the real hypervisor signature is neither KVM's nor Xen's
 * and the backdoor probe (answered by the trap) decides. Elsewhere the test says so and skips.
 */
class VmtoolsdGuestViewTest {

    static final Path VMTOOLSD = Path.of("/usr/bin/vmtoolsd");
    /** vmtoolsd's default {@code exclude-nics} on Linux (guest-info.md 2.6). */
    static final List<String> EXCLUDED_NICS = List.of("docker", "veth", "virbr", "antrea-", "cali");

    @TempDir
    Path dir;

    private final SimulatedHost host = SimulatedHost.create();

    @BeforeAll
    static void requirements() {
        assumeTrue(TrapLauncher.isSupported(),
                () -> "trap launcher unsupported here: " + TrapLauncher.unsupportedReason().orElse("?"));
        assumeTrue(Files.isExecutable(VMTOOLSD), "vmtoolsd not installed (Debian package open-vm-tools)");
    }

    /** Runs vmtoolsd's service until {@code until} holds for the view (or 90 s pass); returns that view. */
    private GuestView runVmtoolsdUntil(Predicate<GuestView> until) throws Exception {
        Path conf = dir.resolve("tools.conf");
        Files.writeString(conf, "[guestinfo]\npoll-interval = 1\n[logging]\nlog = true\nvmsvc.level = debug\n"
                + "vmsvc.handler = file\nvmsvc.data = " + dir.resolve("vmsvc.log") + "\n");
        Path stop = dir.resolve("stop");
        String script = VMTOOLSD + " -n vmsvc -c " + conf + " & daemon=$!; while [ ! -e " + stop
                + " ] && kill -0 $daemon 2>/dev/null; do sleep 0.2; done; kill -TERM $daemon 2>/dev/null; wait $daemon";
        CompletableFuture<String> capabilities = host.tclo().send("Capabilities_Register");
        CompletableFuture<String> broadcast = host.tclo().send("Set_Option broadcastIP 1");
        CompletableFuture<TrapResult<SimulatedHost>> run = CompletableFuture.supplyAsync(() -> TrapLauncher.run(host,
                List.of("/bin/sh", "-c", script), TrapOptions.defaults().withTimeout(Duration.ofMinutes(3))));
        GuestView view = host.guest();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!until.test(view) && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            view = host.guest();
        }
        Files.createFile(stop);
        TrapResult<SimulatedHost> result = run.get(2, TimeUnit.MINUTES);
        assumeTrue(!host.tclo().history().isEmpty(), () -> "vmtoolsd did not start under the trap here (its VM "
                + "check failed: CPUID faulting " + (result.cpuidFaulting() ? "on" : "unavailable") + ", exit code "
                + result.exitCode() + ", stderr: " + result.stderr().strip() + ")");
        assertThat(result.hostErrors()).isEmpty();
        assertThat(until.test(view)).as("the view completed in time: %s%nvmsvc.log tail:%n%s", view.format(),
                logTail()).isTrue();
        assertThat(capabilities.get(1, TimeUnit.SECONDS)).isEqualTo("OK ");
        assertThat(broadcast.get(1, TimeUnit.SECONDS)).isEqualTo("OK ");
        return view;
    }

    private String logTail() throws IOException {
        Path log = dir.resolve("vmsvc.log");
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static boolean complete(GuestView v) {
        return v.hostName().isPresent() && v.network().isPresent() && v.os().shortName().isPresent()
                && v.os().fullName().isPresent() && v.uptime().isPresent() && v.primaryIp().isPresent()
                && v.tools().running() && v.tools().versionNumber().isPresent() && v.buildNumber().isPresent();
    }

    @Test
    void vmtoolsdsReportsShowThisMachine() throws Exception {
        GuestView view = runVmtoolsdUntil(v -> complete(v) && v.os().detailedData().isPresent());

        assertThat(view.decodeErrors()).as("every report vmtoolsd sent decodes").isEmpty();
        String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        assertThat(view.hostName()).contains(hostName);
        GuestNetwork network = view.network().orElseThrow();
        assertThat(network.reportType()).isEqualTo(10);
        assertThat(network.version()).isEqualTo(3);
        assertShowsThisMachinesIpv4(network);
        assertThat(network.dns()).hasValueSatisfying(dns -> assertThat(dns.hostName()).contains(hostName));
        if (!view.primaryIp().orElseThrow().isEmpty()) {
            assertThat(network.addresses()).extracting(GuestNetwork.Address::address).contains(view.primaryIp().get());
        }
        assertOsIsThisMachine(view);
        assertThat(view.os().details()).containsEntry("familyName", "Linux")
                .containsEntry("kernelVersion", kernelRelease());
        prettyName().ifPresent(pretty -> assertThat(view.os().details()).containsEntry("prettyName", pretty));
        assertToolsAreVmtoolsd(view);
        assertThat(Set.copyOf(mountPoints())).containsAll(view.disks().stream().map(GuestView.Disk::mountPoint)
                .toList());
    }

    @Test
    void refusedNicInfoOsDetailsAndDiskJsonMakeItFallBackAndTheViewStillShowsThisMachine() throws Exception {
        host.rpci().refuseGuestInfo(10, true).refuseGuestInfo(11, true).unknown("SetGuestDiskInfo", true);

        GuestView view = runVmtoolsdUntil(v -> complete(v)
                && v.network().map(n -> n.reportType() == 9).orElse(false));

        assertThat(view.decodeErrors()).isEmpty();
        assertThat(view.network().orElseThrow().version()).as("V3 capped at 64 IPs, as type 9").isEqualTo(3);
        assertShowsThisMachinesIpv4(view.network().orElseThrow());
        assertThat(view.os().detailedData()).as("types 5 and 6 instead of 11").isEmpty();
        assertOsIsThisMachine(view);
        assertToolsAreVmtoolsd(view);
        assertThat(host.calls().rpci("SetGuestDiskInfo")).isPositive();
        assertThat(Set.copyOf(mountPoints())).containsAll(view.disks().stream().map(GuestView.Disk::mountPoint)
                .toList());
    }

    @Test
    void withTypesTenAndNineRefusedTheVersionOneStructShowsTheIpv4Addresses() throws Exception {
        host.rpci().refuseGuestInfo(10, true).refuseGuestInfo(9, true);

        GuestView view = runVmtoolsdUntil(v -> complete(v)
                && v.network().map(n -> n.reportType() == 2).orElse(false));

        assertThat(view.decodeErrors()).isEmpty();
        assertShowsThisMachinesIpv4(view.network().orElseThrow());
    }

    /**
     * Each Ethernet NIC Java sees has exactly its IPv4 addresses in the view, and the view shows no
     * IPv4 address this machine does not have (NICs without a MAC in Java, e.g. tunnels, may appear
     * in the view with a MAC vmtoolsd made up).
     */
    private static void assertShowsThisMachinesIpv4(GuestNetwork network) throws IOException {
        assertThat(ipv4ByMac(network)).containsAllEntriesOf(thisMachinesIpv4ByMac());
        Set<String> everyIpv4 = new HashSet<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            List<NetworkInterface> withAliases = new ArrayList<>(List.of(nic));
            withAliases.addAll(Collections.list(nic.getSubInterfaces()));
            for (NetworkInterface labelled : withAliases) {
                Collections.list(labelled.getInetAddresses()).stream().filter(Inet4Address.class::isInstance)
                        .forEach(a -> everyIpv4.add(a.getHostAddress()));
            }
        }
        assertThat(everyIpv4).containsAll(network.addresses().stream().filter(GuestNetwork.Address::ipv4)
                .map(GuestNetwork.Address::address).toList());
    }

    private static void assertOsIsThisMachine(GuestView view) throws IOException {
        String kernel = kernelRelease();
        assertThat(view.os().fullName()).hasValueSatisfying(full -> assertThat(full).startsWith("Linux " + kernel));
        // x86-64 only, like the trap launcher: vmtoolsd appends -64 (guest-info.md 3.2).
        assertThat(view.os().shortName()).hasValueSatisfying(id -> assertThat(id).endsWith("-64"));
    }

    private void assertToolsAreVmtoolsd(GuestView view) {
        GuestView.Tools tools = view.tools();
        assertThat(tools.running()).isTrue();
        assertThat(tools.installType()).hasValue(4);
        // vmtoolsd announces its own version as guest variables at start (guest-info.md 4.2).
        assertThat(tools.versionNumber().getAsLong())
                .isEqualTo(Long.parseLong(host.guestInfo().get("vmtools.versionNumber").orElseThrow()));
        assertThat(tools.version()).isEqualTo(host.guestInfo().get("vmtools.versionString"));
        assertThat(view.buildNumber()).contains("build-" + host.guestInfo().get("vmtools.buildNumber").orElseThrow());
        assertThat(tools.capabilities()).contains("statechange");
    }

    private static Map<String, Set<String>> ipv4ByMac(GuestNetwork network) {
        Map<String, Set<String>> byMac = new TreeMap<>();
        for (GuestNetwork.Nic nic : network.nics()) {
            Set<String> ipv4 = nic.addresses().stream().filter(GuestNetwork.Address::ipv4)
                    .map(GuestNetwork.Address::address).collect(Collectors.toCollection(TreeSet::new));
            if (!ipv4.isEmpty()) {
                byMac.computeIfAbsent(nic.macAddress(), m -> new TreeSet<>()).addAll(ipv4);
            }
        }
        return byMac;
    }

    /** Interfaces vmtoolsd reports (up, not loopback, with a MAC, not excluded) and their IPv4 addresses. */
    private static Map<String, Set<String>> thisMachinesIpv4ByMac() throws IOException {
        Map<String, Set<String>> byMac = new TreeMap<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            byte[] mac = nic.getHardwareAddress();
            if (!nic.isUp() || nic.isLoopback() || mac == null || mac.length < 6
                    || EXCLUDED_NICS.stream().anyMatch(nic.getName()::startsWith)) {
                continue;
            }
            List<NetworkInterface> withAliases = new ArrayList<>(List.of(nic));
            withAliases.addAll(Collections.list(nic.getSubInterfaces()));
            Set<String> ipv4 = new TreeSet<>();
            for (NetworkInterface labelled : withAliases) {
                for (InetAddress address : Collections.list(labelled.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        ipv4.add(address.getHostAddress());
                    }
                }
            }
            if (!ipv4.isEmpty()) {
                String text = HexFormat.ofDelimiter(":").formatHex(mac, 0, 6);
                byMac.computeIfAbsent(text, m -> new TreeSet<>()).addAll(ipv4);
            }
        }
        return byMac;
    }

    private static String kernelRelease() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    }

    /** PRETTY_NAME of os-release, when vmtoolsd reads it (no lsb_release to prefer, guest-info.md 3.2). */
    private static java.util.Optional<String> prettyName() throws IOException {
        Path osRelease = Path.of("/etc/os-release");
        if (!Files.isReadable(osRelease) || Files.isExecutable(Path.of("/usr/bin/lsb_release"))) {
            return java.util.Optional.empty();
        }
        return Files.readAllLines(osRelease).stream().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
                .map(l -> l.substring("PRETTY_NAME=".length()))
                .map(v -> v.startsWith("\"") && v.lastIndexOf('"') > 0 ? v.substring(1, v.lastIndexOf('"')) : v);
    }

    private static List<String> mountPoints() throws IOException {
        Set<String> points = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 1) {
                points.add(fields[1].replace("\\040", " "));
            }
        }
        return List.copyOf(points);
    }
}
