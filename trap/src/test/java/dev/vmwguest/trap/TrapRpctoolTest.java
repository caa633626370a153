package dev.vmwguest.trap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.vmwguest.backdoor.Backdoor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * VMware's own {@code vmware-rpctool} (Debian's open-vm-tools), unmodified, against a host
 * answered through the trap launcher. It checks the CPUID hypervisor signature before
 * touching the backdoor and refuses under {@code KVMKVMKVM}, so these tests need CPUID
 * faulting or the CPUID breakpoint fallback (objdump); without either they are skipped.
 */
class TrapRpctoolTest {

    static final Path RPCTOOL = Path.of("/usr/bin/vmware-rpctool");

    /** Skips the calling test class unless vmware-rpctool can run here under the trap launcher. */
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

    static <B extends Backdoor> TrapResult<B> rpctool(B host, String request) {
        TrapResult<B> result = TrapLauncher.run(host, List.of(RPCTOOL.toString(), request),
                TrapOptions.defaults().withTimeout(Duration.ofMinutes(2)));
        assertThat(result.hostErrors()).isEmpty();
        assertThat(result.stderr()).doesNotContain("must be run inside a virtual machine");
        return result;
    }

    /**
     * A program that starts vmware-rpctool (a shell here, a JVM in the benchmark): where only the
     * breakpoint fallback exists, rpctool passes its check only when named as a descendant program.
     */
    @Test
    void rpctoolStartedByAnotherProgramPassesItsCheckWhenNamedAsADescendant() {
        TrapMiniRpciHost host = new TrapMiniRpciHost(true);
        host.guestInfo.put("guestinfo.k", "v");
        List<String> viaShell = List.of("/bin/sh", "-c", RPCTOOL + " 'info-get guestinfo.k'");
        TrapOptions options = TrapOptions.defaults().withTimeout(Duration.ofMinutes(2));

        TrapResult<TrapMiniRpciHost> named = TrapLauncher.run(host, viaShell,
                options.withDescendantPrograms(List.of(RPCTOOL)));

        assertThat(named.exitCode()).as(named.stderr()).isZero();
        assertThat(named.stdout()).isEqualTo("v\n");
        if (!TrapLauncher.cpuidFaultingAvailable()) {
            TrapResult<TrapMiniRpciHost> unnamed = TrapLauncher.run(host, viaShell, options);
            assertThat(unnamed.exitCode()).isNotZero();
            assertThat(unnamed.stdout()).isEmpty();
        }
    }

    @ParameterizedTest(name = "high bandwidth = {0}")
    @ValueSource(booleans = {true, false})
    void setGetMissingAndLog(boolean highBandwidth) {
        TrapMiniRpciHost host = new TrapMiniRpciHost(highBandwidth);

        TrapResult<TrapMiniRpciHost> set = rpctool(host, "info-set guestinfo.k v");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(host.guestInfo).containsEntry("guestinfo.k", "v");
        assertThat(set.cpuidFaulting() || set.cpuidBreakpoints()).isTrue();

        TrapResult<TrapMiniRpciHost> get = rpctool(host, "info-get guestinfo.k");
        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo("v\n");

        TrapResult<TrapMiniRpciHost> missing = rpctool(host, "info-get guestinfo.missing");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("No value found");

        host.calls.clear();
        TrapResult<TrapMiniRpciHost> log = rpctool(host, "log hello");
        assertThat(log.exitCode()).isZero();
        assertThat(host.log).containsExactly("hello");
        if (highBandwidth) {
            assertThat(host.calls).containsExactly("GETVERSION", "GETVERSION", "OPEN", "SENDSIZE", "HB-OUT",
                    "RECVSIZE", "HB-IN", "RECVSTATUS", "CLOSE");
        } else {
            // 7 + ceil(9/4) SENDPAYLOAD + ceil(2/4) RECVPAYLOAD
            assertThat(host.calls).hasSize(11);
        }
        assertThat(log.trappedCalls()).isEqualTo(host.calls.size());
    }

    @ParameterizedTest(name = "high bandwidth = {0}")
    @ValueSource(booleans = {true, false})
    void largeValues(boolean highBandwidth) {
        TrapMiniRpciHost host = new TrapMiniRpciHost(highBandwidth);
        for (int size : new int[] {1024, 65513}) {
            String value = "x".repeat(size - 1) + "!";
            TrapResult<TrapMiniRpciHost> set = rpctool(host, "info-set guestinfo.big " + value);
            assertThat(set.exitCode()).as(set.stderr()).isZero();
            assertThat(host.guestInfo.get("guestinfo.big")).isEqualTo(value);
            TrapResult<TrapMiniRpciHost> get = rpctool(host, "info-get guestinfo.big");
            assertThat(get.exitCode()).isZero();
            assertThat(get.stdout()).isEqualTo(value + "\n");
        }
        // 64 KiB of value makes a 65559-byte request: over the 65536-byte limit, refused at SENDSIZE
        TrapResult<TrapMiniRpciHost> tooBig = rpctool(host, "info-set guestinfo.big " + "y".repeat(65536));
        assertThat(tooBig.exitCode()).isEqualTo(1);
        assertThat(tooBig.stderr()).contains("Unable to send");
    }

    @Test
    void refusesWithoutTheVMwareSignature() {
        assumeTrue(!TrapLauncher.cpuidFaultingAvailable(), "CPUID faulting available: the signature is always VMware");
        TrapMiniRpciHost host = new TrapMiniRpciHost(true);
        TrapResult<TrapMiniRpciHost> result = TrapLauncher.run(host, List.of(RPCTOOL.toString(), "log hello"),
                TrapOptions.defaults().withCpuidBreakpoints(false));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("must be run inside a virtual machine");
        assertThat(result.trappedCalls()).as("no backdoor access before the CPUID check").isZero();
    }
}
