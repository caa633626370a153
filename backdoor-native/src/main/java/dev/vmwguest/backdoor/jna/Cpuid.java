package dev.vmwguest.backdoor.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorSettings;

/**
 * Reads the CPUID leaves detection needs through the stub; CPUID never faults,
 * so this is safe on every x86 machine (section 4 of
 * {@code shared/protocol/backdoor.md}). Decoding is
 * {@link BackdoorDetection#fromCpuid}'s.
 */
final class Cpuid {

    static final int LEAF_FEATURES = 1;
    static final int LEAF_HYPERVISOR = 0x4000_0000;
    static final int LEAF_VMWARE_FEATURES = 0x4000_0010;

    private Cpuid() {
    }

    /** Detection from this CPU's real CPUID values. */
    static BackdoorDetection detect(String platform, BackdoorSettings settings) {
        int leaf1Ecx = read(LEAF_FEATURES)[2];
        boolean present = leaf1Ecx < 0;
        // Without the hypervisor bit, leaf 0x40000000 returns unrelated data on some CPUs.
        int[] hypervisor = present ? read(LEAF_HYPERVISOR) : new int[4];
        int featureEcx = present && Integer.compareUnsigned(hypervisor[0], LEAF_VMWARE_FEATURES) >= 0
                ? read(LEAF_VMWARE_FEATURES)[2] : 0;
        return BackdoorDetection.fromCpuid(platform, leaf1Ecx, hypervisor, featureEcx, settings);
    }

    /** eax, ebx, ecx, edx of {@code leaf}, sub-leaf 0. */
    static int[] read(int leaf) {
        return read(leaf, 0);
    }

    /** eax, ebx, ecx, edx of {@code leaf}, {@code subleaf}. */
    static int[] read(int leaf, int subleaf) {
        Memory out = new Memory(16);
        BackdoorStub.cpuid(leaf, subleaf, Pointer.nativeValue(out));
        return out.getIntArray(0, 4);
    }
}
