package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.backdoor.RegisterFrame;
import dev.vmwguest.hostsim.HostHighBandwidthMode;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.trap.TrapLauncher;
import dev.vmwguest.trap.TrapOptions;
import dev.vmwguest.trap.TrapResult;
import dev.vmwguest.hostsim.TranscriptEntry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our whole stack in a child JVM through the real native stub, against the
 * simulated host under the trap launcher; and the same RPCI operation by
 * VMware's own {@code vmware-rpctool}, call for call.
 */
class TrapEndToEndTest {

    private static final Path RPCTOOL = Path.of("/usr/bin/vmware-rpctool");

    @BeforeAll
    static void requirements() {
        assumeTrue(TrapLauncher.isSupported(),
                () -> "trap launcher unsupported here: " + TrapLauncher.unsupportedReason().orElse("?"));
    }

    static String valueOf(int size) {
        StringBuilder value = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            value.append((char) ('!' + i % 90));
        }
        return value.toString();
    }

    private static TrapResult<SimulatedHost> childJvm(SimulatedHost host, String... args) {
        TrapResult<SimulatedHost> result = TrapLauncher.run(host, childCommand(args),
                TrapOptions.defaults().withTimeout(Duration.ofMinutes(3)));
        assertThat(result.exitCode()).as("child JVM; stdout:%n%s%nstderr:%n%s", result.stdout(), result.stderr())
                .isZero();
        assertThat(result.hostErrors()).isEmpty();
        return result;
    }

    private static List<String> childCommand(String... args) {
        Set<String> classpath = new LinkedHashSet<>();
        // Surefire patches the test classes into the module rather than listing them: add them by hand.
        classpath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            if (!value.isEmpty()) {
                classpath.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xshare:auto", "-Dvmwguest.backdoor=native", "-Dvmwguest.backdoor.force=true",
                "-cp", String.join(File.pathSeparator, classpath), TrapEndToEndChild.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    @ParameterizedTest
    @EnumSource(value = HostHighBandwidthMode.class, names = {"OFFERED", "LOW_BANDWIDTH_ONLY"})
    void theWholeStackRunsThroughTheNativeStub(HostHighBandwidthMode mode) throws Exception {
        SimulatedHost host = SimulatedHost.builder().highBandwidth(mode).build();
        CompletableFuture<String> reply = host.tclo().send("Set_Option e2e 1");

        TrapResult<SimulatedHost> result = childJvm(host, "tour");

        assertThat(result.stdout()).contains("mechanism=IO_PORT", "product=ESX", "roundtrip.16=ok",
                "roundtrip.1024=ok", "tclo=e2e 1", "tclo.delivered=true").doesNotContain("WRONG");
        assertThat(result.stdout()).containsPattern("uuid=[0-9a-f-]{36}").containsPattern("roundtrip\\.6\\d{4}=ok");
        assertThat(host.guestInfo().get("guestinfo.e2e.1024")).contains(valueOf(1024));
        assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
        if (mode == HostHighBandwidthMode.OFFERED) {
            assertThat(result.highBandwidthOut()).isPositive();
        } else {
            assertThat(result.highBandwidthOut() + result.highBandwidthIn()).isZero();
        }
    }

    @Test
    void simRunQueuesTheTcloScriptAndReportsEachReply(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "# the child waits for this one\nSet_Option e2e 1\n");
        List<String> args = new ArrayList<>(List.of("sim", "run", "--tclo-script", script.toString(), "--"));
        args.addAll(childCommand("tour"));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("tclo=e2e 1", "tclo.delivered=true");
        assertThat(run.err()).contains("vmwguest sim: TCLO Set_Option e2e 1 -> OK");
    }

    @Test
    void simRunPrintsWhatTheHostDecodedFromTheGuestsReportsAtExit() {
        List<String> args = new ArrayList<>(List.of("sim", "run", "--"));
        args.addAll(childCommand("rpci", "SetGuestInfo  1 cli-guest-01"));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("reply=");
        assertThat(run.err()).contains("vmwguest sim: guest view at exit:", "  host name: cli-guest-01",
                "  tools: not running");
    }

    @Test
    void rpciClientMakesTheSameMessageCallsAsVmwareRpctool() {
        assumeTrue(Files.isExecutable(RPCTOOL), "vmware-rpctool not installed (Debian package open-vm-tools)");
        SimulatedHost theirs = SimulatedHost.builder().transcript(true).build();
        theirs.guestInfo().put("k", "v");
        SimulatedHost ours = SimulatedHost.builder().transcript(true).build();
        ours.guestInfo().put("k", "v");

        TrapResult<SimulatedHost> rpctool = TrapLauncher.run(theirs, List.of(RPCTOOL.toString(), "info-get guestinfo.k"));
        TrapResult<SimulatedHost> client = childJvm(ours, "info-get", "guestinfo.k");

        assertThat(rpctool.stdout()).isEqualTo("v\n");
        assertThat(client.stdout()).contains("reply=v");
        List<String> theirCalls = messageCalls(theirs);
        assertThat(theirCalls).containsExactly("OPEN", "SEND_SIZE", "HB_OUT", "RECEIVE_SIZE", "HB_IN",
                "RECEIVE_STATUS", "CLOSE");
        assertThat(messageCalls(ours)).isEqualTo(theirCalls);
        // Outside the message: vmware-rpctool asks GETVERSION twice (its VMware check); our native provider once,
        // in the forked probe child, before the JVM touches the port itself.
        assertThat(rpctool.trappedCalls()).isEqualTo(9);
        assertThat(client.trappedCalls()).isEqualTo(8);
    }

    /** The MESSAGE calls of a transcript with ids, cookies and lengths masked: only what was asked, in order. */
    private static List<String> messageCalls(SimulatedHost host) {
        List<String> calls = new ArrayList<>();
        for (TranscriptEntry entry : host.transcript().entries()) {
            RegisterFrame in = entry.in();
            switch (entry.kind()) {
                case HIGH_BANDWIDTH_OUT -> calls.add("HB_OUT");
                case HIGH_BANDWIDTH_IN -> calls.add("HB_IN");
                case LOW_BANDWIDTH -> {
                    if (RegisterFrame.low16(in.cx()) == 0x1E) {
                        calls.add(MessageType.values()[RegisterFrame.high16(in.cx())].name());
                    }
                }
            }
        }
        return calls;
    }
}
