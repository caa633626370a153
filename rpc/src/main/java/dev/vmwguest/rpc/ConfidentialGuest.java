package dev.vmwguest.rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether this guest's memory is encrypted against the host (a confidential
 * VM), so that high-bandwidth transfers cannot work.
 *
 * <p>What it relies on (Linux only; elsewhere the answer is "no"): the
 * {@code flags} line of {@code /proc/cpuinfo}, where the guest kernel lists
 * {@code tdx_guest} inside an Intel TDX trust domain and {@code sev},
 * {@code sev_es} or {@code sev_snp} when AMD memory encryption is active;
 * together with the {@code hypervisor} flag, so a bare-metal SEV host does
 * not count. A false positive only costs speed (payloads then move four bytes
 * per call); override with {@link HighBandwidthPolicy}.
 */
public final class ConfidentialGuest {

    private static final Set<String> ENCRYPTION_FLAGS = Set.of("tdx_guest", "sev", "sev_es", "sev_snp");
    private static final boolean MEMORY_ENCRYPTED = detect(Path.of("/proc/cpuinfo"));

    private ConfidentialGuest() {
    }

    /**
     * Whether this guest's memory is encrypted; read once per JVM.
     *
     * @return whether this guest's memory is encrypted
     */
    public static boolean memoryEncrypted() {
        return MEMORY_ENCRYPTED;
    }

    static boolean detect(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(ConfidentialGuest::flagsSayEncrypted)
                    .orElse(false);
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or /proc is hidden: nothing says the memory is encrypted.
            return false;
        }
    }

    static boolean flagsSayEncrypted(String flagsLine) {
        int colon = flagsLine.indexOf(':');
        List<String> flags = Arrays.asList(flagsLine.substring(colon + 1).trim().split("\\s+"));
        return flags.contains("hypervisor") && flags.stream().anyMatch(ENCRYPTION_FLAGS::contains);
    }
}
