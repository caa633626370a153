package dev.vmwguest.backdoor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.BackdoorDetection.Hypercall;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Detection from CPUID values, backdoor.md section 4 (detection steps 1-4) and section 6. */
class BackdoorDetectionTest {

    private static final String PLATFORM = "linux-x86-64";
    private static final int HYPERVISOR_BIT = 0x8000_0000; // leaf 1 ECX bit 31
    /** "VMwa", "reVM", "ware" as EBX, ECX, EDX of leaf 0x40000000 (ASCII, little-endian). */
    private static final int VMWA = 0x61774D56;
    private static final int REVM = 0x4D566572;
    private static final int WARE = 0x65726177;

    private static final BackdoorSettings DEFAULTS = BackdoorSettings.defaults();
    private static final BackdoorSettings FORCED = new BackdoorSettings(BackdoorSettings.Mode.AUTO, true, false);

    /** Leaf 0x40000000 for a 12-byte vendor: EAX = max leaf, EBX/ECX/EDX = the bytes, little-endian. */
    private static int[] hvLeaf(int maxLeaf, String vendor12) {
        byte[] bytes = vendor12.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(bytes).hasSize(12);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new int[] {maxLeaf, b.getInt(), b.getInt(), b.getInt()};
    }

    private static int[] vmwareLeaf(int maxLeaf) {
        return new int[] {maxLeaf, VMWA, REVM, WARE};
    }

    @Test
    void vmwareSignatureHelperMatchesTheFactSheetBytes() {
        assertThat(hvLeaf(0x40000010, "VMwareVMware")).containsExactly(0x40000010, VMWA, REVM, WARE);
    }

    @Test
    void vmwareWithoutHypercallLeafUsesPortIo() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x40000000), 0, DEFAULTS);

        assertThat(d.platform()).isEqualTo(PLATFORM);
        assertThat(d.hypervisorPresent()).isTrue();
        assertThat(d.hypervisorVendor()).contains("VMwareVMware");
        assertThat(d.isVmware()).isTrue();
        assertThat(d.hypercall()).isEqualTo(Hypercall.NONE);
        assertThat(d.usable()).isTrue();
        assertThat(d.forced()).isFalse();
        assertThat(d.reason()).contains("VMwareVMware");
    }

    @Test
    void vmcallIsEcxBit1OfLeaf40000010() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x40000010), 0b10, DEFAULTS);
        assertThat(d.hypercall()).isEqualTo(Hypercall.VMCALL);
        assertThat(d.usable()).isTrue();
        assertThat(d.reason()).contains("VMCALL");
    }

    @Test
    void vmmcallIsEcxBit0OfLeaf40000010() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x40000010), 0b01, DEFAULTS);
        assertThat(d.hypercall()).isEqualTo(Hypercall.VMMCALL);
        assertThat(d.reason()).contains("VMMCALL");
    }

    @Test
    void otherEcxBitsDoNotMatter() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x40000010),
                0xFFFF_FFF0 | 0b10, DEFAULTS);
        assertThat(d.hypercall()).isEqualTo(Hypercall.VMCALL);
    }

    @Test
    void bothOrNeitherHypercallBitsMeanPortIo() {
        assertThat(BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x40000010), 0b11, DEFAULTS)
                .hypercall()).isEqualTo(Hypercall.NONE);
        assertThat(BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x40000010), 0b00, DEFAULTS)
                .hypercall()).isEqualTo(Hypercall.NONE);
    }

    @Test
    void leaf40000010IsIgnoredWhenTheMaxLeafIsLower() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x4000000F), 0b10, DEFAULTS);
        assertThat(d.hypercall()).isEqualTo(Hypercall.NONE);
        assertThat(d.usable()).isTrue();
    }

    @Test
    void maxLeafIsComparedUnsigned() {
        // 0x400000FF >= 0x40000010; and a max leaf with bit 31 set is above it too (unsigned)
        assertThat(BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x400000FF), 0b10, DEFAULTS)
                .hypercall()).isEqualTo(Hypercall.VMCALL);
        assertThat(BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x8000_0000), 0b01, DEFAULTS)
                .hypercall()).isEqualTo(Hypercall.VMMCALL);
    }

    @Test
    void leaf1OtherBitsDoNotMatter() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT | 0x7FF8_3203,
                vmwareLeaf(0x40000010), 0, DEFAULTS);
        assertThat(d.isVmware()).isTrue();
        assertThat(d.usable()).isTrue();
    }

    @Test
    void kvmIsReportedAndRefused() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT,
                hvLeaf(0x40000001, "KVMKVMKVM\0\0\0"), 0b11, DEFAULTS);

        assertThat(d.hypervisorPresent()).isTrue();
        assertThat(d.hypervisorVendor()).contains("KVMKVMKVM");
        assertThat(d.isVmware()).isFalse();
        assertThat(d.hypercall()).isEqualTo(Hypercall.NONE);
        assertThat(d.usable()).isFalse();
        assertThat(d.forced()).isFalse();
        // says what it saw and how to override it
        assertThat(d.reason()).contains("KVMKVMKVM", "not VMware", "vmwguest.backdoor.force",
                "VMWGUEST_BACKDOOR_FORCE");
    }

    @Test
    void kvmWithHypercallBitsNeverOffersAHypercall() {
        // Leaf 0x40000010 of another hypervisor means something else entirely.
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT,
                hvLeaf(0x40000010, "KVMKVMKVM\0\0\0"), 0b10, FORCED);
        assertThat(d.hypercall()).isEqualTo(Hypercall.NONE);
    }

    @Test
    void forceMakesANonVmwareSignatureUsable() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT,
                hvLeaf(0x40000001, "KVMKVMKVM\0\0\0"), 0, FORCED);

        assertThat(d.usable()).isTrue();
        assertThat(d.forced()).isTrue();
        assertThat(d.isVmware()).isFalse();
        assertThat(d.hypervisorVendor()).contains("KVMKVMKVM");
        assertThat(d.reason()).contains("KVMKVMKVM", "vmwguest.backdoor.force");
    }

    @Test
    void forceOnVmwareIsNotCountedAsForced() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, vmwareLeaf(0x40000010), 0, FORCED);
        assertThat(d.usable()).isTrue();
        assertThat(d.forced()).isFalse();
    }

    @Test
    void noHypervisorBitMeansNoVendorEvenIfLeaf40000000SpellsVmware() {
        // On bare metal leaf 0x40000000 returns whatever the highest basic leaf holds; without bit 31
        // the signature must not be believed.
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, 0x7FFA_3203, vmwareLeaf(0x40000010), 0b10, DEFAULTS);

        assertThat(d.hypervisorPresent()).isFalse();
        assertThat(d.hypervisorVendor()).isEmpty();
        assertThat(d.isVmware()).isFalse();
        assertThat(d.hypercall()).isEqualTo(Hypercall.NONE);
        assertThat(d.usable()).isFalse();
        assertThat(d.reason()).contains("no hypervisor", "vmwguest.backdoor.force");
    }

    @Test
    void noHypervisorButForced() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, 0, new int[4], 0, FORCED);

        assertThat(d.hypervisorPresent()).isFalse();
        assertThat(d.hypervisorVendor()).isEmpty();
        assertThat(d.usable()).isTrue();
        assertThat(d.forced()).isTrue();
    }

    @Test
    void nearMissSignaturesAreNotVmware() {
        for (String vendor : new String[] {"VMwareVMwar\0", "vmwarevmware", "VMwaVMwarere", "XenVMMXenVMM",
            "Microsoft Hv"}) {
            BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, hvLeaf(0x40000010, vendor),
                    0b10, DEFAULTS);
            assertThat(d.isVmware()).as(vendor).isFalse();
            assertThat(d.usable()).as(vendor).isFalse();
        }
    }

    @Test
    void vendorReadsEbxEcxEdxInThatOrder() {
        assertThat(BackdoorDetection.vendor(VMWA, REVM, WARE)).isEqualTo("VMwareVMware");
        // leaf 0 order (EBX, EDX, ECX) would give a different string
        assertThat(BackdoorDetection.vendor(VMWA, WARE, REVM)).isEqualTo("VMwawarereVM");
        int[] xen = hvLeaf(0, "XenVMMXenVMM");
        assertThat(BackdoorDetection.vendor(xen[1], xen[2], xen[3])).isEqualTo("XenVMMXenVMM");
        int[] hyperV = hvLeaf(0, "Microsoft Hv");
        assertThat(BackdoorDetection.vendor(hyperV[1], hyperV[2], hyperV[3])).isEqualTo("Microsoft Hv");
    }

    @Test
    void vendorStripsNulPadding() {
        int[] kvm = hvLeaf(0, "KVMKVMKVM\0\0\0");
        assertThat(BackdoorDetection.vendor(kvm[1], kvm[2], kvm[3])).isEqualTo("KVMKVMKVM");
        assertThat(BackdoorDetection.vendor(0, 0, 0)).isEmpty();
    }

    @Test
    void vendorTrimsTrailingSpacePaddingAndTheReasonQuotesItWithoutTheSpace() {
        BackdoorDetection d = BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT,
                hvLeaf(0x40000003, "bhyve bhyve "), 0, DEFAULTS);

        assertThat(d.hypervisorVendor()).contains("bhyve bhyve");
        assertThat(d.reason()).contains("'bhyve bhyve'").doesNotContain("bhyve '");
        assertThat(d.isVmware()).isFalse();
    }

    @Test
    void vendorKeepsInnerSpacesAndShowsAnInnerNulAsAQuestionMark() {
        int[] inner = hvLeaf(0, "A B\0CD  \0\0 \0");
        assertThat(BackdoorDetection.vendor(inner[1], inner[2], inner[3])).isEqualTo("A B?CD");
        int[] spaces = hvLeaf(0, "            ");
        assertThat(BackdoorDetection.vendor(spaces[1], spaces[2], spaces[3])).isEmpty();
        int[] padded = hvLeaf(0, "VMwareVMwar ");
        assertThat(BackdoorDetection.fromCpuid(PLATFORM, HYPERVISOR_BIT, new int[] {0x40000010, padded[1], padded[2],
                padded[3]}, 0, DEFAULTS).isVmware()).as("a padded near-VMware signature").isFalse();
    }

    @Test
    void vendorReplacesUnprintableBytes() {
        // bytes 0x01, 'A', 0x7F, 0xFF then eight NULs
        assertThat(BackdoorDetection.vendor(0xFF7F_4101, 0, 0)).isEqualTo("?A??");
    }

    @Test
    void unknownIsNeitherPresentNorUsable() {
        BackdoorDetection d = BackdoorDetection.unknown("darwin-aarch64", "no CPUID here");

        assertThat(d.platform()).isEqualTo("darwin-aarch64");
        assertThat(d.hypervisorPresent()).isFalse();
        assertThat(d.hypervisorVendor()).isEmpty();
        assertThat(d.hypercall()).isEqualTo(Hypercall.NONE);
        assertThat(d.usable()).isFalse();
        assertThat(d.forced()).isFalse();
        assertThat(d.isVmware()).isFalse();
        assertThat(d.reason()).isEqualTo("no CPUID here");
    }
}
