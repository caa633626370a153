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
import dev.vmwguest.backdoor.spi.BackdoorProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Detection and the safety net on the machine running the tests, with the real
 * stub. Expectations come from this machine's own CPUID bytes, never from a list
 * of hypervisors: any vendor signature, padded or not, must come out as its
 * bytes say. Each test that gets a refusal then keeps running: the JVM survived.
 */
class ThisMachineTest {

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
        assertThat(seen.hypervisorPresent()).as("CPUID leaf 1 ECX bit 31").isEqualTo(Cpuid.read(1)[2] < 0);
        if (seen.hypervisorPresent()) {
            byte[] raw = signatureBytes(Cpuid.read(0x4000_0000));
            String expected = trimmedText(raw);
            assertThat(seen.hypervisorVendor()).contains(expected);
            assertThat(seen.isVmware()).isEqualTo(new String(raw, StandardCharsets.ISO_8859_1).equals("VMwareVMware"));
            if (!expected.isEmpty()) {
                assertThat(seen.reason()).contains("'" + expected + "'");
            }
            assertThat(seen.hypervisorVendor().orElseThrow()).doesNotEndWith(" ");
        } else {
            assertThat(seen.hypervisorVendor()).isEmpty();
        }
        assertThat(seen).isEqualTo(provider.detect(BackdoorSettings.fromEnvironment()));
    }

    /** The 12 signature bytes in EBX, ECX, EDX order, little-endian within each register. */
    private static byte[] signatureBytes(int[] leaf) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(leaf[1]).putInt(leaf[2]).putInt(leaf[3])
                .array();
    }

    /** The documented text form: trailing NUL/space padding dropped, other unprintable bytes as '?'. */
    private static String trimmedText(byte[] raw) {
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == 0 || raw[end - 1] == ' ')) {
            end--;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < end; i++) {
            int b = raw[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
        }
        return text.toString();
    }

    @Test
    void cpuidIsOfferedThroughTheProviderAndBackdoors() {
        assertThat(provider.cpuid(0x8000_0000, 0)).hasValueSatisfying(r ->
                assertThat(r).containsExactly(Cpuid.read(0x8000_0000, 0)));
        assertThat(Backdoors.cpuid(1, 0)).hasValueSatisfying(r ->
                assertThat(r[2] < 0).isEqualTo(Backdoors.detect().hypervisorPresent()));
        assertThat(new BackdoorProvider() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public boolean selectableAutomatically() {
                return false;
            }

            @Override
            public BackdoorDetection detect(BackdoorSettings settings) {
                throw new AssertionError();
            }

            @Override
            public Backdoor open(BackdoorSettings settings) {
                throw new AssertionError();
            }
        }.cpuid(0, 0)).as("the SPI default").isEmpty();
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
