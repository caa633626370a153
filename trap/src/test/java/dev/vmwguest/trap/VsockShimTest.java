package dev.vmwguest.trap;

import static dev.vmwguest.hostsim.vsock.HostVsockStandIn.RPCI_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.vsock.HostVsockStandIn;
import dev.vmwguest.hostsim.vsock.VsockConnectionStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LD_PRELOAD shim ({@code src/test/c/vsockshim.c}) on its own, with a small C client
 * ({@code src/test/c/vsockprobe.c}) that makes the calls transports.md sections 1.1 and 1.2
 * describe. No trap launcher is needed; the probe refuses to run without the shim, so it cannot
 * reach this machine's real vsock.
 */
class VsockShimTest {

    static final Path SHIM = VsockVmtoolsdTest.SHIM;
    static final Path PROBE = Path.of(System.getProperty("vmwguest.vsock.probe", "target/trap-test/vsockprobe"));

    @TempDir
    Path dir;

    private final SimulatedHost host = SimulatedHost.create();
    private HostVsockStandIn standIn;

    @BeforeAll
    static void requirements() {
        assumeTrue(Files.isRegularFile(SHIM) && Files.isExecutable(PROBE),
                "vsock shim and probe not built (Linux x86-64 with gcc only)");
    }

    @BeforeEach
    void start() {
        standIn = host.vsock(dir.resolve("vsock"));
        host.guestInfo().put("guestinfo.k", "v");
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private record Run(int exitCode, List<String> lines) {
    }

    private Run probe(boolean privileged, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PROBE.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LD_PRELOAD", SHIM.toAbsolutePath().toString());
        builder.environment().put("VMWGUEST_VSOCK_DIR", standIn.directory().toString());
        builder.environment().put("VMWGUEST_VSOCK_PRIVILEGED", privileged ? "1" : "0");
        builder.environment().put("VMWGUEST_VSOCK_CID", "7");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output.lines().toList());
    }

    @Test
    void aPrivilegedSourcePortReachesThePrivilegedSocketWithVsockAddresses() throws Exception {
        Run run = probe(true, "0", "976", "1023", "info-get guestinfo.k");

        assertThat(run.exitCode()).as(run.lines().toString()).isZero();
        assertThat(run.lines()).containsExactly("family-probe ok", "socket ok", "bind ok", "connect ok",
                "sockname family=40 cid=7 port=1023", "peername family=40 cid=0 port=976", "send ok", "reply 1 v");
        assertThat(standIn.connections(RPCI_PORT)).singleElement()
                .satisfies(c -> assertThat(c.privileged()).isTrue());
    }

    @Test
    void withoutPrivilegeAPortBelow1024IsRefusedAsTheKernelDoes() throws Exception {
        Run run = probe(false, "0", "976", "1023", "info-get guestinfo.k");

        assertThat(run.lines()).contains("bind EACCES", "connect ok", "reply 1 v");
        // The failed bind left the socket unbound, so connect bound an ephemeral port, as the kernel does.
        assertThat(standIn.connections(RPCI_PORT)).singleElement()
                .satisfies(c -> assertThat(c.privileged()).isFalse());
    }

    @Test
    void anyPortAndNoBindBothGetAnEphemeralPortAndTheUnprivilegedSocket() throws Exception {
        for (String bind : List.of("any", "none")) {
            Run run = probe(true, "0", "976", bind, "info-get guestinfo.k");
            assertThat(run.exitCode()).as(run.lines().toString()).isZero();
            assertThat(run.lines()).anySatisfy(line -> assertThat(line).matches("sockname family=40 cid=7 port=\\d+")
                    .satisfies(l -> assertThat(Long.parseLong(l.substring(l.lastIndexOf('=') + 1)))
                            .isGreaterThanOrEqualTo(1024)));
            assertThat(run.lines()).contains("reply 1 v");
        }
        assertThat(standIn.connections(RPCI_PORT)).extracting(VsockConnectionStats::privileged)
                .containsExactly(false, false);
    }

    @Test
    void onlyCidZeroOnAListenedPortIsReachableEverythingElseIsReset() throws Exception {
        assertThat(probe(true, "2", "976", "none", "log x").lines()).contains("connect ECONNRESET");
        assertThat(probe(true, "1", "976", "none", "log x").lines()).contains("connect ECONNRESET");
        assertThat(probe(true, "0", "977", "none", "log x").lines()).contains("connect ECONNRESET");
        assertThat(probe(true, "0", "976", "none", "log x", "short").lines()).contains("connect EINVAL");
        assertThat(standIn.connections()).isEmpty();
        assertThat(host.log()).isEmpty();
    }

    @Test
    void theProbeRefusesToRunWithoutTheShim() throws Exception {
        Process process = new ProcessBuilder(PROBE.toString(), "0", "976", "none", "log x").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isEqualTo(3);
        assertThat(output).contains("not preloaded");
    }
}
