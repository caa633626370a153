package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.trap.TrapLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line end to end against in-process simulated hosts: output, exit codes, one-line errors. */
class MainTest {

    @Test
    void demoWalksEveryStepAndCountsItsCalls() {
        CliRun run = CliRun.of("demo", "--simulate");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("against a SIMULATED VMware host (--simulate)")
                .contains("1. detection (CPUID only, no port touched)\n   platform:")
                .contains("host's store: hello from vmwguest at ")
                .contains("host's log: vmwguest demo was here")
                .contains("TCLO Reset[] -> OK ATR toolbox")
                .contains("TCLO SetOption[name=synctime, value=1] -> OK")
                .contains("subscriber: host asks for SUSPEND; the application agrees")
                .contains("host got tools.os.statechange.status: success");
        // One RPCI round trip over high bandwidth: size, payload, reply size, payload, status.
        assertThat(run.out()).contains("4. guestinfo get guestinfo.vmwguest.demo\n   [5 backdoor calls]");
        assertThat(run.out()).contains("1. detection (CPUID only, no port touched)").containsPattern(
                "why: .*\\n   \\[0 backdoor calls\\]");
    }

    @Test
    void rpcPrintsLikeVmwareRpctool() {
        CliRun missing = CliRun.of("rpc", "--simulate", "info-get guestinfo.nothing");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.HOST_SAID_NO);
        assertThat(missing.err()).isEqualTo("No value found\n");
        assertThat(missing.out()).isEmpty();

        CliRun set = CliRun.of("rpc", "--simulate", "info-set", "guestinfo.a", "b c");
        assertThat(set.exitCode()).isZero();
        assertThat(set.out()).isEqualTo("\n");
    }

    @Test
    void guestInfoRejectsABadKeyInOneLineWithTheUsageExitCode() {
        CliRun run = CliRun.of("guestinfo", "set", "--simulate", "bad key", "v");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("vmwguest: ").contains("space", "index 13").doesNotContain("\tat ");
    }

    @Test
    void guestInfoSetNeedsExactlyOneSource() {
        assertThat(CliRun.of("guestinfo", "set", "--simulate", "k").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("guestinfo", "set", "--simulate", "k", "v", "--file", "/x").exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void guestInfoSetReadsAFileByteForByte(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("value");
        Files.write(file, new byte[] {'a', ' ', 'b', '\n'});

        assertThat(CliRun.of("guestinfo", "set", "--simulate", "k", "--file", file.toString()).exitCode()).isZero();
        assertThat(CliRun.of("guestinfo", "get", "--simulate", "k").exitCode())
                .as("each --simulate run starts a fresh host").isEqualTo(ExitCodes.HOST_SAID_NO);
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliRun run = CliRun.of("guestinfo", "set", "--simulate", "--verbose", "bad key", "v");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("IllegalArgumentException").contains("\tat ");
    }

    @Test
    void tcloListenPrintsEachCommandWithItsReply() {
        CliRun run = CliRun.of("tclo", "listen", "--simulate", "--send", "ping", "--send", "OS_Halt", "--count", "3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(3);
        assertThat(run.out()).contains("Reset[]  -> OK ATR toolbox", "Ping[]  -> OK",
                "PowerOperation[state=HALT]  -> ERROR");
    }

    @Test
    void tcloSendNeedsASimulatedHost() {
        CliRun run = CliRun.of("tclo", "listen", "--send", "ping");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--send needs --simulate");
    }

    @Test
    void hostShowsTheSimulatedHostsFacts() {
        CliRun run = CliRun.of("host", "--simulate");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("product:     ESX").containsPattern("BIOS UUID:   [0-9a-f-]{36}")
                .contains("CPU MHz:     ");
    }

    @Test
    void detectExitCodeAgreesWithWhatItPrints() {
        CliRun run = CliRun.of("detect");
        boolean usable = Backdoors.detect().usable();

        assertThat(run.exitCode()).isEqualTo(usable ? ExitCodes.OK : ExitCodes.NO_BACKDOOR);
        assertThat(run.out()).contains(usable ? "backdoor:    usable" : "backdoor:    not usable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"detect", "host", "rpc", "guestinfo", "tclo", "demo", "sim"})
    void everySubcommandHasHelp(String command) {
        CliRun run = CliRun.of(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: vmwguest " + command);
    }

    @Test
    void simRunsVmwareRpctoolAgainstASimulatedHost(@TempDir Path dir) throws Exception {
        assumeTrue(TrapLauncher.isSupported(), () -> TrapLauncher.unsupportedReason().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/vmware-rpctool")), "open-vm-tools is not installed");
        Path trace = dir.resolve("trace.txt");

        CliRun run = CliRun.of("sim", "run", "--guestinfo", "ip=10.0.0.5", "--trace", trace.toString(), "--",
                "/usr/bin/vmware-rpctool", "info-get guestinfo.ip");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("10.0.0.5\n");
        assertThat(run.err()).contains("vmwguest sim: exit 0; 9 backdoor calls answered");
        assertThat(Files.readString(trace)).contains("LOW_BANDWIDTH");
    }
}
