package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An active confidential guest is recognised from sources that reflect it, even where the kernel
 * cleared the {@code sev*} flags of {@code /proc/cpuinfo} (as SEV guests' kernels do); fed
 * injected CPUID values and file views (docs/protocol.md, "Confidential guests").
 */
class ConfidentialGuestSourcesTest {

    private static final int HYPERVISOR_BIT = 0x8000_0000;
    private static final String PLAIN_GUEST_FLAGS = "flags\t\t: fpu vme de pse tsc msr pae hypervisor lahf_lm\n";

    @TempDir
    Path dir;

    /** An ordinary AMD guest: hypervisor bit, extended leaves up to 0x80000021, no encryption anywhere. */
    private static FakeMachine plainGuest() {
        return new FakeMachine().leaf(1, 0x00A0_0F11, 0, HYPERVISOR_BIT | 0x7ED8_320B, 0x178B_FBFF)
                .leaf(0x8000_0000, 0x8000_0021, 0, 0, 0)
                .file("/proc/cpuinfo", "processor\t: 0\n" + PLAIN_GUEST_FLAGS);
    }

    @Test
    void anOrdinaryGuestIsNotEncrypted() {
        assertThat(ConfidentialGuest.detect(plainGuest())).isEmpty();
        assertThat(ConfidentialGuest.detect(new FakeMachine())).as("nothing readable at all").isEmpty();
    }

    @ParameterizedTest(name = "0x8000001F eax={0}")
    @ValueSource(ints = {0x2, 0xA, 0x1A, 0x0001_000B})   // SEV; SEV + SEV-ES; + SEV-SNP; with other bits
    void cpuidLeaf8000001fWithTheSevBitMarksAnSevGuestWhoseFlagsWereCleared(int eax) {
        FakeMachine guest = plainGuest().leaf(0x8000_001F, eax, 0x0000_0173, 0x1FD, 0x64);

        assertThat(ConfidentialGuest.detect(guest)).hasValueSatisfying(why ->
                assertThat(why).contains("0x8000001F").contains(Integer.toHexString(eax)));
    }

    @Test
    void theSevLeafCountsOnlyInAGuestAndOnlyWhenTheCpuHasTheLeaf() {
        FakeMachine bareMetalSevHost = new FakeMachine().leaf(1, 0, 0, 0x7ED8_320B, 0)
                .leaf(0x8000_0000, 0x8000_0021, 0, 0, 0).leaf(0x8000_001F, 0x0001_780F, 0x0000_4173, 0x1FD, 0x64);
        FakeMachine leafBeyondTheMaximum = plainGuest().leaf(0x8000_0000, 0x8000_001E, 0, 0, 0)
                .leaf(0x8000_001F, 0x2, 0, 0, 0);
        FakeMachine smeBitOnly = plainGuest().leaf(0x8000_001F, 0x1, 0x2F, 0, 0);

        assertThat(ConfidentialGuest.detect(bareMetalSevHost)).isEmpty();
        assertThat(ConfidentialGuest.detect(leafBeyondTheMaximum)).isEmpty();
        assertThat(ConfidentialGuest.detect(smeBitOnly)).isEmpty();
    }

    @Test
    void cpuidLeaf21SaysIntelTdxInEbxEdxEcxOrder() {
        // "Inte" "lTDX" "    " in EBX, EDX, ECX, little-endian
        int inte = 0x6574_6E49;
        int ltdx = 0x5844_546C;
        int spaces = 0x2020_2020;
        FakeMachine td = plainGuest().leaf(0, 0x23, 0x756E_6547, 0x6C65_746E, 0x4965_6E69).leaf(0x21, 0, inte, spaces, ltdx);
        FakeMachine wrongOrder = plainGuest().leaf(0, 0x23, 0, 0, 0).leaf(0x21, 0, inte, ltdx, spaces);
        FakeMachine leafBeyondTheMaximum = plainGuest().leaf(0, 0x20, 0, 0, 0).leaf(0x21, 0, inte, spaces, ltdx);

        assertThat(ConfidentialGuest.detect(td)).hasValueSatisfying(why -> assertThat(why).contains("TDX"));
        assertThat(ConfidentialGuest.detect(wrongOrder)).isEmpty();
        assertThat(ConfidentialGuest.detect(leafBeyondTheMaximum)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/sev-guest", "/dev/tdx_guest", "/sys/devices/system/cpu/sev", "/sys/hypervisor/sev"})
    void aGuestDriverDeviceOrTheSnpSysfsDirectoryMarksAConfidentialGuest(String path) {
        assertThat(ConfidentialGuest.detect(plainGuest().withPaths(path)))
                .hasValueSatisfying(why -> assertThat(why).startsWith(path + " exists"));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "[    0.371552] Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP | true",
        "[    0.213094] Memory Encryption Features active: AMD SEV                 | true",
        "[    0.000000] AMD Memory Encryption Features active: SEV SEV-ES          | true",
        "[    0.000000] AMD Secure Encrypted Virtualization (SEV) active         | true",
        "[    0.402040] Memory Encryption Features active: Intel TDX             | true",
        "[    4.118226] Memory Encryption Features active: AMD SME               | false",
        "[    0.000000] AMD Memory Encryption Features active: SME                | false",
        "[    0.000000] AMD Secure Memory Encryption (SME) active                | false",
        "[    2.511] ccp 0000:46:00.1: SEV-SNP API:1.55 build:21                  | false",
        "[    2.511] kvm_amd: SEV supported: 410 ASIDs                            | false",
    })
    void theKernelsBootMessageInTheBootLogDecides(String line, boolean encrypted) {
        String log = "[    0.000000] Linux version 6.8.0\n" + line.strip() + "\n[    0.5] PCI: Using ACPI\n";

        Optional<String> found = ConfidentialGuest.detect(plainGuest().file("/var/log/dmesg", log));

        assertThat(found.isPresent()).isEqualTo(encrypted);
        found.ifPresent(why -> assertThat(why).startsWith("/var/log/dmesg says: ").doesNotContain("[ "));
    }

    @Test
    void withoutCpuidTheFilesStillDecide() {
        FakeMachine noCpuid = new FakeMachine().noCpuid().file("/proc/cpuinfo", PLAIN_GUEST_FLAGS);

        assertThat(ConfidentialGuest.detect(noCpuid)).isEmpty();
        assertThat(ConfidentialGuest.detect(noCpuid.withPaths("/dev/sev-guest"))).isPresent();
    }

    @Test
    void aRootedViewReadsARealFileTreeAndShrugsOffWhatItCannotRead() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cpuinfo"), PLAIN_GUEST_FLAGS, StandardCharsets.ISO_8859_1);
        Files.createDirectories(root.resolve("var/log/dmesg"));   // a directory where a file was expected
        MachineView view = MachineView.rooted(root, (leaf, subleaf) -> Optional.empty());

        assertThat(ConfidentialGuest.detect(view)).isEmpty();

        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/sev-guest"));
        assertThat(ConfidentialGuest.detect(view)).contains("/dev/sev-guest exists (a confidential-guest driver's device)");
    }

    @Test
    void aRootedViewAnswersCpuidFromItsSource() {
        MachineView view = MachineView.rooted(dir, (leaf, subleaf) -> Optional.of(new int[] {leaf, subleaf, 0, 0}));

        assertThat(view.cpuid(0x8000_001F, 3)).hasValueSatisfying(r -> assertThat(r).containsExactly(0x8000_001F, 3, 0, 0));
        assertThat(view.read("/missing", 10)).isEmpty();
        assertThat(view.exists("/missing")).isFalse();
    }

    @Test
    void thisProcessAnswersFromThisMachine() {
        Optional<String> live = ConfidentialGuest.detect(MachineView.live());

        assertThat(ConfidentialGuest.evidence()).isEqualTo(live);
        assertThat(ConfidentialGuest.memoryEncrypted()).isEqualTo(live.isPresent());
        assertThat(HighBandwidthPolicy.AUTO.permitsHighBandwidth()).isEqualTo(live.isEmpty());
    }
}
