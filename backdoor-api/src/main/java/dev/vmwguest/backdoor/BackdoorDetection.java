package dev.vmwguest.backdoor;

import java.util.Optional;

/**
 * What detection learned without touching any port: the CPU's hypervisor
 * signature and what follows from it.
 *
 * @param platform          JNA-style platform name, e.g. {@code linux-x86-64}
 * @param hypervisorPresent CPUID leaf 1, ECX bit 31
 * @param hypervisorVendor  the vendor signature of CPUID leaf {@code 0x40000000} as text, when the
 *                          hypervisor bit is set: its 12 bytes (EBX, ECX, EDX) with the padding
 *                          hypervisors put at the end (NULs, spaces) trimmed, so {@code KVMKVMKVM}
 *                          for {@code "KVMKVMKVM\0\0\0"} and {@code bhyve bhyve} for
 *                          {@code "bhyve bhyve "}; any other byte outside printable ASCII, a NUL
 *                          inside included, shows as {@code ?}. Trimmed rather than raw so that it
 *                          prints and compares as a name; the exact VMware signature has no padding,
 *                          so {@link #isVmware()} is unaffected
 * @param hypercall         whether the host offers the {@code vmcall}/{@code vmmcall} form
 * @param usable            whether the native backdoor may be used in this process
 * @param forced            whether {@code usable} rests on the user's force setting, not on the signature
 * @param reason            one sentence saying why it is or is not usable
 */
public record BackdoorDetection(String platform, boolean hypervisorPresent, Optional<String> hypervisorVendor,
        Hypercall hypercall, boolean usable, boolean forced, String reason) {

    /** The VMware CPUID vendor string. */
    public static final String VMWARE_VENDOR = "VMwareVMware";

    /** The hypercall forms a VMware host may advertise in CPUID leaf {@code 0x40000010} ECX. */
    public enum Hypercall {
        /** Not advertised (or not VMware): use port I/O. */
        NONE,
        /** Intel form, ECX bit 1. */
        VMCALL,
        /** AMD form, ECX bit 0. */
        VMMCALL
    }

    /**
     * Whether the signature says VMware.
     *
     * @return whether the signature says VMware
     */
    public boolean isVmware() {
        return hypervisorVendor.filter(VMWARE_VENDOR::equals).isPresent();
    }

    /**
     * A detection result for a platform where no CPUID reading was possible.
     *
     * @param platform JNA's name for the platform, as {@link Backdoors#platform()} gives it
     * @param reason why nothing could be read, in words for the user
     * @return a detection result for a platform where no CPUID reading was possible
     */
    public static BackdoorDetection unknown(String platform, String reason) {
        return new BackdoorDetection(platform, false, Optional.empty(), Hypercall.NONE, false, false, reason);
    }

    /**
     * Decodes the CPUID registers detection reads: leaf 1 ECX, and leaf
     * {@code 0x40000000}, {@code 0x40000010} EBX/ECX/EDX/EAX. Pure; the
     * native provider feeds it real CPUID values and tests feed it literals.
     *
     * @param leaf1Ecx     ECX of leaf 1 (bit 31 = hypervisor present)
     * @param hvLeaf       EAX, EBX, ECX, EDX of leaf {@code 0x40000000}
     * @param hvFeatureEcx ECX of leaf {@code 0x40000010}, read only when {@code hvLeaf[0] >= 0x40000010}
     * @param settings     the user's force setting decides {@code usable} on a non-VMware signature
     * @param platform JNA's name for the platform, as {@link Backdoors#platform()} gives it
     * @return what the registers say about the hypervisor, and whether the backdoor may be used
     */
    public static BackdoorDetection fromCpuid(String platform, int leaf1Ecx, int[] hvLeaf, int hvFeatureEcx,
            BackdoorSettings settings) {
        boolean present = leaf1Ecx < 0;
        Optional<String> vendor = present ? Optional.of(vendor(hvLeaf[1], hvLeaf[2], hvLeaf[3])) : Optional.empty();
        boolean vmware = vendor.filter(VMWARE_VENDOR::equals).isPresent();
        Hypercall hypercall = Hypercall.NONE;
        if (vmware && Integer.compareUnsigned(hvLeaf[0], 0x40000010) >= 0) {
            // Only the bit matching the CPU vendor is expected; when both or neither are
            // set, port I/O is the form every host accepts (shared/protocol/backdoor.md section 4).
            int bits = hvFeatureEcx & 0x3;
            hypercall = bits == 0x2 ? Hypercall.VMCALL : bits == 0x1 ? Hypercall.VMMCALL : Hypercall.NONE;
        }
        if (vmware) {
            return new BackdoorDetection(platform, true, vendor, hypercall, true, false,
                    "CPUID reports VMwareVMware" + (hypercall == Hypercall.NONE ? "" : ", " + hypercall + " offered"));
        }
        String seen = vendor.map(v -> "CPUID reports hypervisor '" + v + "', not VMware")
                .orElse("CPUID reports no hypervisor (bare metal, or a hidden one)");
        if (settings.force()) {
            return new BackdoorDetection(platform, present, vendor, Hypercall.NONE, true, true,
                    seen + "; using the backdoor anyway because " + BackdoorSettings.FORCE_PROPERTY + " is set");
        }
        return new BackdoorDetection(platform, present, vendor, Hypercall.NONE, false, false,
                seen + " (set -D" + BackdoorSettings.FORCE_PROPERTY + "=true or " + BackdoorSettings.FORCE_ENV
                        + "=1 to try anyway, e.g. under an emulator)");
    }

    /**
     * The 12 vendor bytes in register order EBX, ECX, EDX (not leaf 0's EBX, EDX, ECX), trailing
     * NULs and spaces trimmed, other unprintable bytes as {@code ?}.
     */
    static String vendor(int ebx, int ecx, int edx) {
        int[] registers = {ebx, ecx, edx};
        char[] bytes = new char[12];
        for (int i = 0; i < 12; i++) {
            bytes[i] = (char) ((registers[i / 4] >>> (8 * (i % 4))) & 0xFF);
        }
        int end = 12;
        while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == ' ')) {
            end--;
        }
        StringBuilder text = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = bytes[i];
            text.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return text.toString();
    }
}
