package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.HostHighBandwidthMode;
import dev.vmwguest.hostsim.SimulatedHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Confidential guests (AMD SEV, Intel TDX) use the low-bandwidth path, because
 * the host cannot read or write encrypted pages for {@code rep outsb/insb}
 * (guestrpc-channel.md section 7, Linux vmwgfx). Here: the {@code flags} line of
 * {@code /proc/cpuinfo} as one source (fed fake ones) and the policy; the other sources are in
 * {@link ConfidentialGuestSourcesTest}.
 */
class ConfidentialGuestTest {

    private static final String COMMON = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov";

    @TempDir
    Path dir;

    private final String savedPolicy = System.getProperty(HighBandwidthPolicy.PROPERTY);

    @AfterEach
    void restorePolicyProperty() {
        if (savedPolicy == null) {
            System.clearProperty(HighBandwidthPolicy.PROPERTY);
        } else {
            System.setProperty(HighBandwidthPolicy.PROPERTY, savedPolicy);
        }
    }

    /** Detection with only this file as /proc/cpuinfo, no CPUID and nothing else on the machine. */
    private static boolean detect(Path cpuinfo) {
        MachineView file = MachineView.rooted(cpuinfo.getParent(), (leaf, subleaf) -> Optional.empty());
        return ConfidentialGuest.detect(new MachineView() {
            @Override
            public Optional<int[]> cpuid(int leaf, int subleaf) {
                return Optional.empty();
            }

            @Override
            public boolean exists(String path) {
                return false;
            }

            @Override
            public Optional<String> read(String path, int maxBytes) {
                return path.equals("/proc/cpuinfo") ? file.read("/" + cpuinfo.getFileName(), maxBytes) : Optional.empty();
            }
        }).isPresent();
    }

    private Path cpuinfo(String flags) throws IOException {
        String oneCpu = "processor\t: %d\nvendor_id\t: AuthenticAMD\nmodel name\t: Test CPU\n"
                + "flags\t\t: " + flags + "\nbugs\t\t: sysret_ss_attrs\n"
                + "vmx flags\t: vnmi preemption_timer\n\n";
        Path file = dir.resolve("cpuinfo");
        Files.writeString(file, String.format(oneCpu, 0) + String.format(oneCpu, 1), StandardCharsets.ISO_8859_1);
        return file;
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource({
        "hypervisor tdx_guest,  true",     // Intel TDX trust domain
        "hypervisor sev,        true",     // AMD SEV guest
        "sev_es hypervisor,     true",
        "hypervisor sev_snp,    true",
        "hypervisor,            false",    // an ordinary VM
        "sev sev_es sev_snp,    false",    // a bare-metal SEV host: its own memory is not encrypted
        "tdx_guest,             false",
        "hypervisor sev_foo,    false",    // whole flags only
        "hypervisorsev,         false",
    })
    void theFlagsLineDecides(String flags, boolean encrypted) throws IOException {
        assertThat(detect(cpuinfo(COMMON + " " + flags + " ht syscall"))).isEqualTo(encrypted);
        assertThat(ConfidentialGuest.flagsSayEncrypted("flags\t\t: " + flags)).isEqualTo(encrypted);
    }

    @Test
    void anArm64CpuinfoHasNoFlagsLineAndMeansNotEncrypted() throws IOException {
        Path file = dir.resolve("cpuinfo");
        Files.writeString(file, "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm hypervisor sev\n");

        assertThat(detect(file)).isFalse();
    }

    @Test
    void onlyTheFirstFlagsLineIsRead() throws IOException {
        Path file = dir.resolve("cpuinfo");
        Files.writeString(file, "flags\t\t: fpu hypervisor\nflags\t\t: fpu hypervisor sev\n");

        assertThat(detect(file)).isFalse();
    }

    @Test
    void anUnreadableCpuinfoMeansNotEncrypted() throws IOException {
        assertThat(detect(dir.resolve("missing"))).isFalse();
        assertThat(detect(dir)).as("a directory").isFalse();
        Path binary = dir.resolve("binary");
        Files.write(binary, new byte[] {(byte) 0xFF, 0, (byte) 0xC3, '\n', 'f', 'l', 'a', 'g', 's'});
        assertThat(detect(binary)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"auto, AUTO", "AUTO, AUTO", " never , NEVER", "off, NEVER", "false, NEVER"})
    void thePolicyPropertyIsRead(String value, HighBandwidthPolicy expected) {
        System.setProperty(HighBandwidthPolicy.PROPERTY, value);

        assertThat(HighBandwidthPolicy.fromEnvironment()).isEqualTo(expected);
        assertThat(RpcChannelOptions.defaults().highBandwidth()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "on", "yes please"})
    void anUnknownPolicyValueIsRefusedByName(String value) {
        System.setProperty(HighBandwidthPolicy.PROPERTY, value);

        assertThatIllegalArgumentException().isThrownBy(HighBandwidthPolicy::fromEnvironment)
                .withMessageContaining(HighBandwidthPolicy.PROPERTY).withMessageContaining(value);
    }

    @Test
    void withNothingSetThePolicyIsAuto() {
        assumeTrue(System.getenv(HighBandwidthPolicy.ENV) == null, HighBandwidthPolicy.ENV + " is set here");
        System.clearProperty(HighBandwidthPolicy.PROPERTY);

        assertThat(HighBandwidthPolicy.fromEnvironment()).isEqualTo(HighBandwidthPolicy.AUTO);
    }

    @Test
    void anEncryptedMemoryHostNeverOffersHighBandwidthSoNoTransferIsAttempted() {
        SimulatedHost host = Echo.on(SimulatedHost.builder().highBandwidth(HostHighBandwidthMode.ENCRYPTED_MEMORY)
                .build());
        byte[] payload = Echo.payload(100);

        try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI, RpcChannelOptions.defaults()
                .withHighBandwidth(HighBandwidthPolicy.AUTO))) {
            assertThat(channel.call(Echo.request(payload))).isEqualTo(payload);
        }

        assertThat(host.calls().highBandwidthOut() + host.calls().highBandwidthIn()).isZero();
        assertThat(host.calls().total()).isEqualTo(2 + 3 + Echo.words(100 + Echo.OVERHEAD) + Echo.words(100));
        assertThat(host.calls().violations()).isZero();
    }
}
