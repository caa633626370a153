package dev.vmwguest.rpc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this guest's memory is encrypted against the host (an active AMD SEV, SEV-ES or SEV-SNP
 * guest, or an Intel TDX trust domain), so that high-bandwidth transfers cannot work.
 *
 * <p>The {@code /proc/cpuinfo} flags alone are not enough: {@code sev}, {@code sev_es} and
 * {@code sev_snp} describe what the CPU can do, and guest kernels often clear them. So detection
 * takes the first of these sources that reflects an active confidential guest (sources and their
 * documentation: {@code docs/protocol.md}, "Confidential guests"):
 * <ol>
 * <li>CPUID leaf {@code 0x8000001F} EAX bit 1 (SEV) with the hypervisor bit set: hypervisors
 *     report memory encryption to a guest only when they run it encrypted;</li>
 * <li>CPUID leaf {@code 0x21} signature {@code "IntelTDX    "} (EBX, EDX, ECX), which the TDX
 *     module reports inside a trust domain;</li>
 * <li>the guest drivers' device nodes {@code /dev/sev-guest} (SEV-SNP) and {@code /dev/tdx_guest};</li>
 * <li>{@code /sys/devices/system/cpu/sev} or {@code /sys/hypervisor/sev}, present only in an
 *     SEV-SNP guest;</li>
 * <li>the {@code /proc/cpuinfo} flags {@code tdx_guest}, {@code sev}, {@code sev_es},
 *     {@code sev_snp} together with {@code hypervisor} (a bare-metal SEV host does not count);</li>
 * <li>the kernel's boot message {@code Memory Encryption Features active: AMD SEV ...} (or
 *     {@code ... Intel TDX}, or older kernels' {@code AMD Secure Encrypted Virtualization (SEV)
 *     active}) in {@code /var/log/dmesg}, where the system keeps this boot's kernel log.</li>
 * </ol>
 * CPUID is read through the native provider when one is installed; elsewhere only the files count.
 * A false positive only costs speed (payloads then move four bytes per call); override with
 * {@link HighBandwidthPolicy}. Everything is read once per JVM and never blocks.
 */
final class ConfidentialGuest {

    private static final Set<String> ENCRYPTION_FLAGS = Set.of("tdx_guest", "sev", "sev_es", "sev_snp");
    private static final List<String> GUEST_DEVICES = List.of("/dev/sev-guest", "/dev/tdx_guest");
    private static final List<String> SNP_SYSFS = List.of("/sys/devices/system/cpu/sev", "/sys/hypervisor/sev");
    private static final String KERNEL_LOG = "/var/log/dmesg";
    private static final String FEATURES_ACTIVE = "Memory Encryption Features active:";
    private static final String OLD_SEV_ACTIVE = "AMD Secure Encrypted Virtualization (SEV) active";
    private static final int MAX_FILE_BYTES = 4 << 20;

    private static final int LEAF_FEATURES = 1;
    private static final int LEAF_MAX_EXTENDED = 0x8000_0000;
    private static final int LEAF_MEMORY_ENCRYPTION = 0x8000_001F;
    private static final int LEAF_TDX = 0x21;
    private static final int SEV_BIT = 1 << 1;

    private static final Optional<String> EVIDENCE = detect(MachineView.live());

    private ConfidentialGuest() {
    }

    /**
     * Whether this guest's memory is encrypted; read once per JVM.
     *
     * @return true when any source listed above says so
     */
    static boolean memoryEncrypted() {
        return EVIDENCE.isPresent();
    }

    /**
     * What made {@link #memoryEncrypted()} true, for logs and support questions.
     *
     * @return one sentence naming the source, or empty when the memory is not considered encrypted
     */
    static Optional<String> evidence() {
        return EVIDENCE;
    }

    /** The first source in the class comment's order that says this is a confidential guest. */
    static Optional<String> detect(MachineView view) {
        return cpuidSaysSev(view)
                .or(() -> cpuidSaysTdx(view))
                .or(() -> firstExisting(view, GUEST_DEVICES, " exists (a confidential-guest driver's device)"))
                .or(() -> firstExisting(view, SNP_SYSFS, " exists (present only in an SEV-SNP guest)"))
                .or(() -> view.read("/proc/cpuinfo", MAX_FILE_BYTES).flatMap(ConfidentialGuest::cpuinfoSaysEncrypted))
                .or(() -> view.read(KERNEL_LOG, MAX_FILE_BYTES).flatMap(ConfidentialGuest::kernelLogSaysEncrypted));
    }

    static Optional<String> cpuidSaysSev(MachineView view) {
        boolean guest = view.cpuid(LEAF_FEATURES, 0).map(r -> r[2] < 0).orElse(false);
        int maxExtended = view.cpuid(LEAF_MAX_EXTENDED, 0).map(r -> r[0]).orElse(0);
        if (!guest || Integer.compareUnsigned(maxExtended, LEAF_MEMORY_ENCRYPTION) < 0) {
            return Optional.empty();
        }
        return view.cpuid(LEAF_MEMORY_ENCRYPTION, 0).filter(r -> (r[0] & SEV_BIT) != 0)
                .map(r -> "CPUID 0x8000001F reports SEV to this guest (eax=" + Integer.toHexString(r[0]) + ")");
    }

    static Optional<String> cpuidSaysTdx(MachineView view) {
        int maxBasic = view.cpuid(0, 0).map(r -> r[0]).orElse(0);
        if (Integer.compareUnsigned(maxBasic, LEAF_TDX) < 0) {
            return Optional.empty();
        }
        return view.cpuid(LEAF_TDX, 0).filter(r -> text(r[1], r[3], r[2]).equals("IntelTDX    "))
                .map(r -> "CPUID 0x21 reports an Intel TDX trust domain");
    }

    private static Optional<String> firstExisting(MachineView view, List<String> paths, String why) {
        return paths.stream().filter(view::exists).findFirst().map(path -> path + why);
    }

    static Optional<String> cpuinfoSaysEncrypted(String cpuinfo) {
        return cpuinfo.lines().filter(line -> line.startsWith("flags")).findFirst()
                .filter(ConfidentialGuest::flagsSayEncrypted)
                .map(line -> "/proc/cpuinfo lists a memory-encryption flag with 'hypervisor'");
    }

    static boolean flagsSayEncrypted(String flagsLine) {
        int colon = flagsLine.indexOf(':');
        List<String> flags = Arrays.asList(flagsLine.substring(colon + 1).trim().split("\\s+"));
        return flags.contains("hypervisor") && flags.stream().anyMatch(ENCRYPTION_FLAGS::contains);
    }

    static Optional<String> kernelLogSaysEncrypted(String log) {
        return log.lines().filter(ConfidentialGuest::guestEncryptionLine).findFirst()
                .map(line -> KERNEL_LOG + " says: " + line.substring(line.indexOf(line.contains(FEATURES_ACTIVE)
                        ? FEATURES_ACTIVE : OLD_SEV_ACTIVE)).strip());
    }

    /** SEV (any kind) or TDX listed as active; SME alone is the host encrypting its own memory. */
    private static boolean guestEncryptionLine(String line) {
        if (line.contains(OLD_SEV_ACTIVE)) {
            return true;
        }
        int at = line.indexOf(FEATURES_ACTIVE);
        if (at < 0) {
            return false;
        }
        List<String> words = Arrays.asList(line.substring(at + FEATURES_ACTIVE.length()).trim().split("\\s+"));
        return words.stream().anyMatch(w -> w.startsWith("SEV") || w.equals("TDX"));
    }

    /** Twelve ASCII bytes from three registers, each little-endian. */
    private static String text(int... registers) {
        StringBuilder b = new StringBuilder(12);
        for (int register : registers) {
            for (int shift = 0; shift < 32; shift += 8) {
                b.append((char) ((register >>> shift) & 0xFF));
            }
        }
        return b.toString();
    }
}
