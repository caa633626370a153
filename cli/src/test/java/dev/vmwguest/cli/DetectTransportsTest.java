package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vmwguest.backdoor.Backdoors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmwguest detect} names the transport of each channel and why the
 * others were passed over. vsock is pointed at the Unix-socket stand-in (plain
 * files suffice: detect only looks, it never connects), never at a real CID.
 */
class DetectTransportsTest {

    private static CliRun detectWith(Map<String, String> properties) {
        Map<String, String> saved = new java.util.HashMap<>();
        properties.forEach((name, value) -> saved.put(name, System.getProperty(name)));
        try {
            properties.forEach(System::setProperty);
            return CliRun.of("detect");
        } finally {
            saved.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    @Test
    void eachChannelShowsTheTransportItWouldUse(@TempDir Path standIn) throws Exception {
        Files.createFile(standIn.resolve("976.sock"));
        Files.createFile(standIn.resolve("975.sock"));

        CliRun run = detectWith(Map.of("vmwguest.transport", "vsock,backdoor",
                "vmwguest.vsock.standin", standIn.toString()));

        assertThat(run.out()).contains("transports:  vsock,backdoor (vmwguest.transport)")
                .contains("RPCI:        vsock\n")
                .contains("TCLO:        vsock\n");
    }

    @Test
    void aTransportPassedOverIsListedWithItsReason(@TempDir Path standIn) {
        CliRun run = detectWith(Map.of("vmwguest.transport", "vsock",
                "vmwguest.vsock.standin", standIn.toString()));

        assertThat(run.out()).contains("RPCI:        none")
                .contains("  not vsock (FAILED): nothing listens on " + standIn.resolve("976.sock"))
                .contains("  not vsock (FAILED): nothing listens on " + standIn.resolve("975.sock"));
    }

    @Test
    void byDefaultVsockIsNotTriedOffVmwareAndTclotNeverNeedsPrivilege() {
        assumeFalse(Backdoors.detect().isVmware(), "this test describes a machine that is not VMware");

        CliRun run = detectWith(Map.of());

        assertThat(run.out()).contains("transports:  auto (vsock-privileged,vsock,backdoor)")
                .containsPattern("not vsock-privileged \\(UNAVAILABLE\\): CPUID does not say VMware")
                .contains("not vsock (NOT_TRIED)")
                .contains("not vsock-privileged (NOT_APPLICABLE): TCLO connections are never bound");
    }
}
