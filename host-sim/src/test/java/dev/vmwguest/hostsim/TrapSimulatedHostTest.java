package dev.vmwguest.hostsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** vmware-rpctool, unmodified, against the real SimulatedHost through the trap launcher. */
class TrapSimulatedHostTest {

    private static final Path RPCTOOL = Path.of("/usr/bin/vmware-rpctool");

    @BeforeAll
    static void requirements() {
        assumeTrue(TrapLauncher.isSupported(),
                () -> "trap launcher unsupported here: " + TrapLauncher.unsupportedReason().orElse("?"));
        assumeTrue(Files.isExecutable(RPCTOOL), "vmware-rpctool not installed (Debian package open-vm-tools)");
        assumeTrue(TrapLauncher.cpuidFaultingAvailable()
                        || TrapCpuidSites.resolve(RPCTOOL.toString(), null).map(TrapCpuidSites::find)
                                .map(sites -> !sites.isEmpty()).orElse(false),
                "vmware-rpctool would see this machine's real hypervisor signature and refuse: no cpuid_fault "
                        + "and no CPUID breakpoints (objdump missing?)");
    }

    private static TrapResult<SimulatedHost> rpctool(SimulatedHost host, String request) {
        TrapResult<SimulatedHost> result = TrapLauncher.run(host, List.of(RPCTOOL.toString(), request));
        assertThat(result.hostErrors()).isEmpty();
        return result;
    }

    @Test
    void vmwareRpctoolAgainstTheSimulatedHost() {
        SimulatedHost host = SimulatedHost.create();
        assertThat(rpctool(host, "info-set guestinfo.k v").exitCode()).isZero();
        TrapResult<SimulatedHost> get = rpctool(host, "info-get guestinfo.k");
        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo("v\n");
        TrapResult<SimulatedHost> missing = rpctool(host, "info-get guestinfo.missing");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("No value found");
        TrapResult<SimulatedHost> log = rpctool(host, "log hello");
        assertThat(log.exitCode()).isZero();
        assertThat(log.trappedCalls()).isEqualTo(9); // GETVERSION x2, OPEN, SENDSIZE, HB-OUT, RECVSIZE, HB-IN, RECVSTATUS, CLOSE
        assertThat(String.valueOf(host.log())).contains("hello");
    }

    @Test
    void runUnderTrapOnALowBandwidthOnlyHostCostsOneCallPerFourBytes() {
        SimulatedHost host = SimulatedHost.builder().highBandwidth(HighBandwidthMode.LOW_BANDWIDTH_ONLY).build();
        host.guestInfo().put("k", "0123456789");

        TrapResult<SimulatedHost> get = host.runUnderTrap(List.of(RPCTOOL.toString(), "info-get guestinfo.k"));

        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo("0123456789\n");
        assertThat(get.highBandwidthOut() + get.highBandwidthIn()).as("no HB on this host").isZero();
        // "info-get guestinfo.k" is 20 bytes (5 words), the reply "1 0123456789" 12 bytes (3 words).
        assertThat(host.calls().of(MessageType.SEND_PAYLOAD)).isEqualTo(5);
        assertThat(host.calls().of(MessageType.RECEIVE_PAYLOAD)).isEqualTo(3);
    }
}
