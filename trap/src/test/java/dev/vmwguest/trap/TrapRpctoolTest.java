package dev.vmwguest.trap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vmwguest.backdoor.Backdoor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * VMware's own {@code vmware-rpctool} (Debian's open-vm-tools), unmodified, against a host
 * answered through the trap launcher. Its VM check looks at the CPUID signature first; what it
 * then does is modelled by {@link RpctoolCheck}, and every expectation here about passing or
 * refusing is derived from the signature rpctool is shown, never from the machine the test was
 * written on. Both CPUID paths run where the machine allows: faulting (needs {@code cpuid_fault})
 * and breakpoints (needs objdump), each skipping with the reason where it cannot.
 */
class TrapRpctoolTest {

    static final Path RPCTOOL = Path.of("/usr/bin/vmware-rpctool");
    private static final String REFUSAL = "must be run inside a virtual machine";

    /** Which CPUID path a test asks for. */
    enum CpuidPath { FAULTING, BREAKPOINTS }

    /** Skips the calling test class unless vmware-rpctool can run here under the trap launcher. */
    @BeforeAll
    static void requirements() {
        assumeTrue(TrapLauncher.isSupported(),
                () -> "trap launcher unsupported here: " + TrapLauncher.unsupportedReason().orElse("?"));
        assumeTrue(Files.isExecutable(RPCTOOL), "vmware-rpctool not installed (Debian package open-vm-tools)");
        assumeTrue(TrapLauncher.cpuidFaultingAvailable() || breakpointsAvailable()
                        || realSignature().map(m -> RpctoolCheck.given(m) == RpctoolCheck.PROBES_THE_BACKDOOR)
                                .orElse(false),
                "vmware-rpctool would refuse this machine's real signature, and neither CPUID faulting "
                        + "(cpuid_fault) nor CPUID breakpoints (objdump) can show it another one");
    }

    static boolean breakpointsAvailable() {
        return TrapCpuidSites.resolve(RPCTOOL.toString(), null).map(TrapCpuidSites::find)
                .map(sites -> !sites.isEmpty()).orElse(false);
    }

    /** This machine's CPUID as trapprobe reads it outside the trap; empty where trapprobe is not built. */
    static Optional<Map<String, String>> realSignature() {
        String probe = System.getProperty("vmwguest.trap.probe");
        if (probe == null || !Files.isExecutable(Path.of(probe))) {
            return Optional.empty();
        }
        try {
            return Optional.of(RpctoolCheck.thisMachine(Path.of(probe)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static TrapOptions options(CpuidPath path) {
        if (path == CpuidPath.FAULTING) {
            assumeTrue(TrapLauncher.cpuidFaultingAvailable(),
                    "no cpuid_fault on this CPU (arch_prctl(ARCH_SET_CPUID, 0) fails): the faulting path cannot run");
            return TrapOptions.defaults().withTimeout(Duration.ofMinutes(2));
        }
        assumeTrue(breakpointsAvailable(), "no cpuid instructions found in vmware-rpctool (objdump missing?)");
        return TrapOptions.defaults().withCpuidFaulting(false).withTimeout(Duration.ofMinutes(2));
    }

    static <B extends Backdoor> TrapResult<B> rpctool(B host, String request) {
        return rpctool(host, request, TrapOptions.defaults().withTimeout(Duration.ofMinutes(2)));
    }

    static <B extends Backdoor> TrapResult<B> rpctool(B host, String request, TrapOptions options) {
        TrapResult<B> result = TrapLauncher.run(host, List.of(RPCTOOL.toString(), request), options);
        assertThat(result.hostErrors()).isEmpty();
        assertThat(result.stderr()).doesNotContain(REFUSAL);
        return result;
    }

    /**
     * A program that starts vmware-rpctool (a shell here, a JVM in the benchmark) on the breakpoint
     * path: named as a descendant, rpctool is shown the VMware signature and passes; unnamed, it sees
     * this machine's real signature and does what its check does with that one.
     */
    @Test
    void rpctoolStartedByAnotherProgramPassesItsCheckWhenNamedAsADescendant() {
        TrapOptions options = options(CpuidPath.BREAKPOINTS);
        TrapMiniRpciHost host = new TrapMiniRpciHost(true);
        host.guestInfo.put("guestinfo.k", "v");
        List<String> viaShell = List.of("/bin/sh", "-c", RPCTOOL + " 'info-get guestinfo.k'");

        TrapResult<TrapMiniRpciHost> named = TrapLauncher.run(host, viaShell,
                options.withDescendantPrograms(List.of(RPCTOOL)));

        assertThat(named.cpuidBreakpoints()).isTrue();
        assertThat(named.exitCode()).as(named.stderr()).isZero();
        assertThat(named.stdout()).isEqualTo("v\n");

        Map<String, String> real = realSignature().orElse(null);
        assumeTrue(real != null, "trapprobe not built: this machine's real signature is unknown");
        assumeFalse(real.get("vendor").equals("VMwareVMware"), "on VMware the real host answers rpctool");
        TrapResult<TrapMiniRpciHost> unnamed = TrapLauncher.run(host, viaShell, options);
        if (RpctoolCheck.given(real) == RpctoolCheck.REFUSES_WITHOUT_TOUCHING_THE_BACKDOOR) {
            assertThat(unnamed.exitCode()).isNotZero();
            assertThat(unnamed.stdout()).isEmpty();
            assertThat(unnamed.stderr()).contains(REFUSAL);
        } else {
            assertThat(unnamed.exitCode()).as(unnamed.stderr()).isZero();
            assertThat(unnamed.stdout()).isEqualTo("v\n");
        }
    }

    @ParameterizedTest(name = "high bandwidth = {0}, CPUID {1}")
    @CsvSource({"true, FAULTING", "false, FAULTING", "true, BREAKPOINTS", "false, BREAKPOINTS"})
    void setGetMissingAndLog(boolean highBandwidth, CpuidPath path) {
        TrapOptions options = options(path);
        TrapMiniRpciHost host = new TrapMiniRpciHost(highBandwidth);

        TrapResult<TrapMiniRpciHost> set = rpctool(host, "info-set guestinfo.k v", options);
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(host.guestInfo).containsEntry("guestinfo.k", "v");
        assertThat(set.cpuidFaulting()).isEqualTo(path == CpuidPath.FAULTING);
        assertThat(set.cpuidBreakpoints()).isEqualTo(path == CpuidPath.BREAKPOINTS);

        TrapResult<TrapMiniRpciHost> get = rpctool(host, "info-get guestinfo.k", options);
        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo("v\n");

        TrapResult<TrapMiniRpciHost> missing = rpctool(host, "info-get guestinfo.missing", options);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("No value found");

        host.calls.clear();
        TrapResult<TrapMiniRpciHost> log = rpctool(host, "log hello", options);
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

    /** Under this machine's real signature (no CPUID handling), rpctool does what its check does with it. */
    @Test
    void underTheRealSignatureRpctoolDoesWhatItsCheckDoesWithIt() {
        Map<String, String> real = realSignature().orElse(null);
        assumeTrue(real != null, "trapprobe not built: this machine's real signature is unknown");
        assumeFalse(real.get("vendor").equals("VMwareVMware"), "on VMware the real host answers rpctool");
        TrapMiniRpciHost host = new TrapMiniRpciHost(true);

        TrapResult<TrapMiniRpciHost> result = TrapLauncher.run(host, List.of(RPCTOOL.toString(), "log hello"),
                TrapOptions.defaults().withCpuidFaulting(false).withCpuidBreakpoints(false));

        assertThat(result.cpuidFaulting() || result.cpuidBreakpoints()).isFalse();
        assertRpctoolDid(RpctoolCheck.given(real), result, host);
    }

    /**
     * Shown a signature of the test's choosing (the supervisor's {@code --cpuid-vendor}), rpctool
     * refuses exactly the ones its check lists and probes, and so passes, under all others.
     */
    @ParameterizedTest(name = "signature \"{0}\"")
    @ValueSource(strings = {"KVMKVMKVM\\0\\0\\0", "XenVMMXenVMM", "bhyve bhyve ", "VMwareVMware", "Microsoft Hv",
        "KVMKVMKVM   ", "\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"})
    void rpctoolsCheckDecidesFromTheSignatureItIsShown(String escaped) {
        CpuidPath path = TrapLauncher.cpuidFaultingAvailable() ? CpuidPath.FAULTING : CpuidPath.BREAKPOINTS;
        byte[] signature = escaped.replace("\\0", "\0").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(signature).hasSize(12);
        TrapMiniRpciHost host = new TrapMiniRpciHost(true);

        TrapResult<TrapMiniRpciHost> result = TrapLauncher.run(host, List.of(RPCTOOL.toString(), "log hello"),
                options(path), List.of("--cpuid-vendor", RpctoolCheck.hex(signature)));

        assertRpctoolDid(RpctoolCheck.given(true, signature), result, host);
    }

    private static void assertRpctoolDid(RpctoolCheck expected, TrapResult<TrapMiniRpciHost> result,
            TrapMiniRpciHost host) {
        assertThat(result.hostErrors()).isEmpty();
        if (expected == RpctoolCheck.REFUSES_WITHOUT_TOUCHING_THE_BACKDOOR) {
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains(REFUSAL);
            assertThat(result.trappedCalls()).as("no backdoor access before the CPUID check").isZero();
        } else {
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(host.log).containsExactly("hello");
            assertThat(host.calls).startsWith("GETVERSION", "GETVERSION", "OPEN");
        }
    }
}
