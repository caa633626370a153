package dev.vmwguest.trap;

import static dev.vmwguest.hostsim.vsock.HostVsockStandIn.RPCI_PORT;
import static dev.vmwguest.hostsim.vsock.HostVsockStandIn.TCLO_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.vsock.HostVsockStandIn;
import dev.vmwguest.hostsim.TcloExchange;
import dev.vmwguest.hostsim.vsock.VsockConnectionStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VMware's own vmtoolsd (Debian's open-vm-tools), unmodified, speaking vsock to the stand-in:
 * the trap launcher answers its backdoor (vmcheck's GETVERSIONs) and shows it the VMware CPUID
 * signature, and the test suite's LD_PRELOAD shim ({@code src/test/c/vsockshim.c}) turns its
 * AF_VSOCK sockets into connections to the stand-in's socket files. The trap launcher's
 * seccomp filter stays on, so nothing can reach this machine's real vsock.
 */
class VsockVmtoolsdTest {

    static final Path VMTOOLSD = Path.of("/usr/bin/vmtoolsd");
    static final Path SHIM = Path.of(System.getProperty("vmwguest.vsock.shim", "target/trap-test/libvsockshim.so"));

    @TempDir
    Path dir;

    private final SimulatedHost host = SimulatedHost.create();

    @BeforeAll
    static void requirements() {
        assumeTrue(TrapLauncher.isSupported(),
                () -> "trap launcher unsupported here: " + TrapLauncher.unsupportedReason().orElse("?"));
        assumeTrue(Files.isExecutable(VMTOOLSD), "vmtoolsd not installed (Debian package open-vm-tools)");
        assumeTrue(Files.isRegularFile(SHIM), "vsock shim not built (needs gcc): " + SHIM);
        // vmtoolsd's hypervisor check (the same vmcheck.c as rpctool's) lives in libvmtools, which CPUID
        // breakpoints (executable only) miss: without faulting it sees this machine's real signature.
        assumeTrue(TrapLauncher.cpuidFaultingAvailable() || TrapRpctoolTest.realSignature()
                        .map(m -> RpctoolCheck.given(m) == RpctoolCheck.PROBES_THE_BACKDOOR).orElse(false),
                "no CPUID faulting, and vmtoolsd's check refuses this machine's real hypervisor signature");
    }

    private Map<String, String> shimEnvironment(HostVsockStandIn standIn, boolean privileged) {
        Map<String, String> env = new HashMap<>();
        env.put("LD_PRELOAD", SHIM.toAbsolutePath().toString());
        env.put("VMWGUEST_VSOCK_DIR", standIn.directory().toString());
        env.put("VMWGUEST_VSOCK_TRACE", dir.resolve("shim-trace.txt").toString());
        env.put("VMWGUEST_VSOCK_PRIVILEGED", privileged ? "1" : "0");
        return env;
    }

    private TrapResult<SimulatedHost> run(HostVsockStandIn standIn, boolean privileged, String... command) {
        TrapResult<SimulatedHost> result = TrapLauncher.run(host, List.of(command), TrapOptions.defaults()
                .withEnvironment(shimEnvironment(standIn, privileged)).withTimeout(Duration.ofMinutes(2)));
        assertThat(result.hostErrors()).isEmpty();
        assertThat(result.vsockBlocked()).as("the real AF_VSOCK stays blocked").isTrue();
        return result;
    }

    private String shimTrace() throws IOException {
        Path trace = dir.resolve("shim-trace.txt");
        return Files.exists(trace) ? Files.readString(trace, StandardCharsets.UTF_8) : "";
    }

    @Test
    void vmtoolsdCmdAsRootSendsItsOneShotOnAPrivilegedConnectionWithFastClose() throws Exception {
        host.guestInfo().put("guestinfo.k", "over vsock");
        try (HostVsockStandIn standIn = host.vsock(dir.resolve("vsock"))) {
            TrapResult<SimulatedHost> result = run(standIn, true, VMTOOLSD.toString(), "--cmd", "info-get guestinfo.k");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("over vsock\n");
            List<VsockConnectionStats> rpci = standIn.connections(RPCI_PORT);
            assertThat(rpci).singleElement().satisfies(c -> {
                assertThat(c.privileged()).isTrue();
                assertThat(c.packetsFromGuest()).isEqualTo(1);
                assertThat(c.packetsToGuest()).isEqualTo(1);
                assertThat(c.closeReason()).contains("fast close");
            });
            assertThat(host.calls().of(MessageType.OPEN)).as("no GuestRPC over the backdoor").isZero();
            assertThat(host.calls().rpci("info-get")).isEqualTo(1);
            assertThat(shimTrace()).contains("bind(", "port 1023) -> 0", "976-privileged.sock");
        }
    }

    @Test
    void withoutPrivilegeItRetriesUnprivilegedAndASecureRequestIsRefusedThere() throws Exception {
        host.requireSecure("info-set guestinfo.");
        try (HostVsockStandIn standIn = host.vsock(dir.resolve("vsock"))) {
            TrapResult<SimulatedHost> refused = run(standIn, false, VMTOOLSD.toString(), "--cmd",
                    "info-set guestinfo.k user");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr()).contains("Permission denied");
            assertThat(host.guestInfo().get("guestinfo.k")).isEmpty();
            assertThat(shimTrace()).contains("port 1023) -> EACCES", "976.sock");

            TrapResult<SimulatedHost> allowed = run(standIn, true, VMTOOLSD.toString(), "--cmd",
                    "info-set guestinfo.k root");
            assertThat(allowed.exitCode()).as(allowed.stderr()).isZero();
            assertThat(host.guestInfo().get("guestinfo.k")).contains("root");

            assertThat(standIn.connections(RPCI_PORT)).extracting(VsockConnectionStats::privileged)
                    .containsExactly(false, true);
        }
    }

    /** vmtoolsd's service (vmsvc) under the trap launcher and the shim, until {@link #stop()}. */
    private final class Daemon {

        final Path stopFile = dir.resolve("stop");
        final CompletableFuture<TrapResult<SimulatedHost>> run;

        Daemon(HostVsockStandIn standIn) throws IOException {
            Path conf = dir.resolve("tools.conf");
            Files.writeString(conf, "[logging]\nlog = true\nvmsvc.level = debug\nvmsvc.handler = file\n"
                    + "vmsvc.data = " + dir.resolve("vmsvc.log") + "\n");
            // It runs until told to stop; SIGTERM makes it close its channels and exit 0.
            String script = VMTOOLSD + " -n vmsvc -c " + conf + " & daemon=$!; while [ ! -e " + stopFile
                    + " ]; do sleep 0.2; done; kill -TERM $daemon; wait $daemon";
            run = CompletableFuture.supplyAsync(() -> VsockVmtoolsdTest.this.run(standIn, true, "/bin/sh", "-c",
                    script));
        }

        TrapResult<SimulatedHost> stop() throws Exception {
            if (!Files.exists(stopFile)) {
                Files.createFile(stopFile);
            }
            TrapResult<SimulatedHost> result = run.get(3, TimeUnit.MINUTES);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            return result;
        }
    }

    @Test
    void theDaemonsStartupRpcisAndItsAnswersToPushedCommandsArriveOverVsock() throws Exception {
        try (HostVsockStandIn standIn = host.vsock(dir.resolve("vsock"))) {
            CompletableFuture<String> ping = host.tclo().send("ping");
            CompletableFuture<String> capabilities = host.tclo().send("Capabilities_Register");
            Daemon daemon = new Daemon(standIn);
            try {
                assertThat(ping.get(2, TimeUnit.MINUTES)).isEqualTo("OK ");
                assertThat(capabilities.get(2, TimeUnit.MINUTES)).isEqualTo("OK ");
                await(() -> standIn.heartbeats() >= 2, "two heartbeats after the first reply");
            } finally {
                daemon.stop();
            }

            assertThat(host.tclo().history()).first().satisfies(reset -> {
                assertThat(reset.command()).isEqualTo("reset");
                assertThat(reset.reply()).contains("OK ATR toolbox");
                assertThat(reset.channel()).isGreaterThanOrEqualTo(HostVsockStandIn.CHANNEL_BASE);
            });
            assertThat(host.guestInfo().get("guestinfo.vmtools.versionString")).hasValueSatisfying(
                    version -> assertThat(version).matches("\\d+\\.\\d+\\.\\d+"));
            assertThat(host.unifiedLoopApps()).contains("toolbox");
            assertThat(host.capabilities()).contains("statechange", "softpowerop_retry", "hgfs_server");
            assertThat(host.toolsVersionType()).contains("4");

            assertThat(host.calls().of(MessageType.OPEN)).as("no GuestRPC over the backdoor").isZero();
            assertThat(standIn.connections(RPCI_PORT)).allSatisfy(c -> assertThat(c.privileged()).isTrue());
            assertThat(standIn.packetsFromGuest(RPCI_PORT)).isEqualTo(standIn.packetsToGuest(RPCI_PORT))
                    .isGreaterThanOrEqualTo(10);
            assertThat(standIn.connections(TCLO_PORT)).singleElement().satisfies(c -> {
                assertThat(c.privileged()).as("TCLO never binds (transports.md 1.2)").isFalse();
                assertThat(c.packetsToGuest()).isEqualTo(3);
                assertThat(c.packetsFromGuest()).isEqualTo(3 + c.heartbeats());
                assertThat(c.closeReason()).contains("guest closed");
            });
            // Connection numbers follow accept order, which differs between the two listeners from run to run.
            assertThat(standIn.events()).anyMatch(e -> e.endsWith("-975: tclo reply 'OK ATR toolbox'"));
        }
    }

    @Test
    void afterAHostResetTheDaemonReconnectsAttachesAgainAndAnswersOnTheNewConnection() throws Exception {
        try (HostVsockStandIn standIn = host.vsock(dir.resolve("vsock"))) {
            CompletableFuture<String> first = host.tclo().send("ping");
            Daemon daemon = new Daemon(standIn);
            CompletableFuture<String> second;
            try {
                assertThat(first.get(2, TimeUnit.MINUTES)).isEqualTo("OK ");

                host.resetHost();
                second = host.tclo().send("ping");
                // transports.md 1.5: vmtoolsd restarts its channels a second after an error.
                assertThat(second.get(2, TimeUnit.MINUTES)).isEqualTo("OK ");
            } finally {
                daemon.stop();
            }
            assertThat(standIn.connections(TCLO_PORT)).hasSize(2);
            assertThat(standIn.connections(TCLO_PORT).get(0).closeReason()).contains("host reset");
            assertThat(host.tclo().history()).extracting(TcloExchange::command, TcloExchange::reply)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("reset", java.util.Optional.of("OK ATR toolbox")),
                            org.assertj.core.groups.Tuple.tuple("ping", java.util.Optional.of("OK ")),
                            org.assertj.core.groups.Tuple.tuple("reset", java.util.Optional.of("OK ATR toolbox")),
                            org.assertj.core.groups.Tuple.tuple("ping", java.util.Optional.of("OK ")));
            assertThat(host.unifiedLoopApps()).as("announced again after the second reset")
                    .containsExactly("toolbox", "toolbox");
            assertThat(host.calls().of(MessageType.OPEN)).isZero();
        }
    }

    @Test
    void vmwareRpctoolNeverTriesVsockAndStaysOnTheBackdoor() throws Exception {
        // transports.md 3.1: rpctool is backdoor only, unlike vmtoolsd --cmd.
        Path rpctool = TrapRpctoolTest.RPCTOOL;
        assumeTrue(Files.isExecutable(rpctool), "vmware-rpctool not installed");
        host.guestInfo().put("guestinfo.k", "over the backdoor");
        try (HostVsockStandIn standIn = host.vsock(dir.resolve("vsock"))) {
            TrapResult<SimulatedHost> result = run(standIn, true, rpctool.toString(), "info-get guestinfo.k");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("over the backdoor\n");
            assertThat(standIn.connections()).isEmpty();
            assertThat(shimTrace()).as("the shim was loaded").contains("shim loaded").doesNotContain("AF_VSOCK");
            assertThat(host.calls().of(MessageType.OPEN)).isEqualTo(1);
        }
    }

    /** Waits for a condition another thread makes true; generous, as the machine may be busy. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
