package dev.vmwguest.backdoor.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.BackdoorSettings.Mode;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.BackdoorUnavailableException.Reason;
import dev.vmwguest.backdoor.Backdoors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Detection and the safety net on the machine running the tests (a KVM guest in
 * CI: CPUID says {@code KVMKVMKVM}), with the real stub. Each test that gets a
 * refusal then keeps running: the JVM survived.
 */
class ThisMachineTest {

    private static final Set<String> KNOWN_VENDORS = Set.of("KVMKVMKVM", "VMwareVMware", "Microsoft Hv",
            "XenVMMXenVMM", "TCGTCGTCGTCG", "VBoxVBoxVBox", "bhyve bhyve", "ACRNACRNACRN", "Linux KVM Hv",
            "prl hyperv", "lrpepyh vr");

    private final NativeBackdoorProvider provider = new NativeBackdoorProvider();

    @BeforeEach
    void onLinuxX8664WithTheRealStub() {
        assumeTrue(Backdoors.platform().equals("linux-x86-64"), "these tests read this machine's CPUID");
        assertThat(BackdoorStub.libraryName()).isEqualTo(BackdoorStub.LIBRARY);
        assertThat(BackdoorStub.loadFailure()).isEmpty();
    }

    @Test
    void detectionReportsTheRealHypervisorVendor() throws IOException {
        BackdoorDetection seen = Backdoors.detect();   // through ServiceLoader, as users call it

        System.out.println("detected on this machine: " + seen);
        assertThat(seen.platform()).isEqualTo("linux-x86-64");
        assertThat(seen.hypervisorPresent()).as("/proc/cpuinfo 'hypervisor' flag").isEqualTo(cpuinfoSaysHypervisor());
        if (seen.hypervisorPresent()) {
            assertThat(seen.hypervisorVendor()).hasValueSatisfying(v -> assertThat(KNOWN_VENDORS).contains(v));
            assertThat(seen.reason()).contains(seen.hypervisorVendor().orElseThrow());
        }
        assertThat(seen).isEqualTo(provider.detect(BackdoorSettings.fromEnvironment()));
    }

    @Test
    void openRefusesWithNotVmwareAndTheJvmKeepsRunning() {
        BackdoorDetection seen = provider.detect(BackdoorSettings.defaults());
        assumeFalse(seen.isVmware(), "this machine is VMware");

        BackdoorUnavailableException refusal = catchThrowableOfType(BackdoorUnavailableException.class,
                () -> Backdoors.open(BackdoorSettings.defaults()));

        assertThat(refusal.reason()).isEqualTo(Reason.NOT_VMWARE);
        assertThat(refusal.getMessage())
                .contains(seen.hypervisorVendor().orElse("no hypervisor"))
                .contains(BackdoorSettings.FORCE_PROPERTY)
                .contains(BackdoorSettings.FORCE_ENV);
        assertThat(Cpuid.read(0)[0]).as("still alive, still calling native code").isPositive();
    }

    @Test
    void aForcedProbeDiesInItsChildProcessNotInTheJvm() throws IOException {
        assumeFalse(provider.detect(BackdoorSettings.defaults()).isVmware(), "this machine is VMware");
        List<Path> crashLogsBefore = crashLogs();
        BackdoorSettings forced = new BackdoorSettings(Mode.NATIVE, true, false);

        long start = System.nanoTime();
        BackdoorUnavailableException refusal = catchThrowableOfType(BackdoorUnavailableException.class,
                () -> Backdoors.open(forced));
        long micros = (System.nanoTime() - start) / 1000;

        System.out.println("forced probe refused after " + micros + " us: " + refusal.getMessage());
        assertThat(refusal.reason()).isEqualTo(Reason.NOT_ANSWERED);
        assertThat(refusal.getMessage())
                .contains("GETVERSION probe")
                .contains("child process")
                .contains("died of signal 11 (SIGSEGV)")
                .contains("this JVM was not affected");
        assertThat(crashLogs()).as("no hs_err file from the child").isEqualTo(crashLogsBefore);
        assertThat(Cpuid.read(0)[0]).as("still alive, still calling native code").isPositive();
    }

    @Test
    void forcedDetectionSaysItIsForced() {
        BackdoorDetection forced = provider.detect(new BackdoorSettings(Mode.AUTO, true, false));
        assumeFalse(forced.isVmware(), "this machine is VMware");

        assertThat(forced.usable()).isTrue();
        assertThat(forced.forced()).isTrue();
        assertThat(forced.reason()).contains("anyway");
    }

    @Test
    void theProviderIsRegisteredForClassPathUsersAndSelectableAutomatically() {
        assertThat(provider.name()).isEqualTo("native");
        assertThat(provider.priority()).isEqualTo(10);
        assertThat(provider.selectableAutomatically()).isTrue();
        // Module path: module-info's provides, proven by Backdoors.detect() above. Class path: this file.
        assertThat(Path.of("target/classes/META-INF/services/dev.vmwguest.backdoor.spi.BackdoorProvider"))
                .hasContent(NativeBackdoorProvider.class.getName());
    }

    @Test
    void aBackdoorIsNeverHandedOutWhenOpenRefuses() {
        assumeFalse(provider.detect(BackdoorSettings.defaults()).isVmware(), "this machine is VMware");
        Backdoor[] opened = new Backdoor[1];

        catchThrowableOfType(BackdoorUnavailableException.class,
                () -> opened[0] = provider.open(BackdoorSettings.defaults()));

        assertThat(opened[0]).isNull();
    }

    private static boolean cpuinfoSaysHypervisor() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst().orElse("").matches(".*\\bhypervisor\\b.*");
        }
    }

    private static List<Path> crashLogs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("user.dir")))) {
            return files.filter(p -> p.getFileName().toString().matches("hs_err_pid\\d+\\.log|core(\\.\\d+)?"))
                    .sorted().toList();
        }
    }
}
