package dev.vmwguest.trap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What {@code vmware-rpctool}'s VM check (open-vm-tools {@code VmCheck_IsVirtualWorld},
 * lib/vmCheck/vmcheck.c) does with the CPUID it is shown, on x86-64 Linux, so tests derive their
 * expectation from the signature in front of them instead of from the machine they were written on.
 *
 * <p>The check reads the signature as a C string (12 bytes, cut at the first NUL) only when the
 * hypervisor bit is set (hostinfoHV.c {@code Hostinfo_HypervisorCPUIDSig}). It gives up at once,
 * without touching a port, on exactly the two signatures it lists (vmcheck.c lines 340-351).
 * Anything else, no hypervisor bit included, goes on to a Xen probe ({@code ud2}, a SIGILL it
 * catches) and then to the backdoor probe, which the trap launcher answers, so the check passes.
 */
enum RpctoolCheck {
    /** "must be run inside a virtual machine", with no backdoor access at all. */
    REFUSES_WITHOUT_TOUCHING_THE_BACKDOOR,
    /** Probes the backdoor (GETVERSION twice); under the trap, answered and passed. */
    PROBES_THE_BACKDOOR;

    /** The C strings vmcheck.c compares against and refuses: its KVM and Xen entries. */
    private static final Set<String> REFUSED = Set.of("KVMKVMKVM", "XenVMMXenVMM");

    /** The 12 signature bytes as they lie in memory (EBX, ECX, EDX little-endian). */
    static byte[] signature(int ebx, int ecx, int edx) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(ebx).putInt(ecx).putInt(edx).array();
    }

    /** What the check does with this CPUID. */
    static RpctoolCheck given(boolean hypervisorBit, byte[] signature) {
        if (!hypervisorBit) {
            return PROBES_THE_BACKDOOR;
        }
        int end = 0;
        while (end < signature.length && signature[end] != 0) {
            end++;
        }
        String cString = new String(signature, 0, end, StandardCharsets.ISO_8859_1);
        return REFUSED.contains(cString) ? REFUSES_WITHOUT_TOUCHING_THE_BACKDOOR : PROBES_THE_BACKDOOR;
    }

    /** From {@code trapprobe cpuid} output: {@code leaf1.ecx} and {@code leaf40000000} (eax ebx ecx edx). */
    static RpctoolCheck given(Map<String, String> trapprobeCpuid) {
        int leaf1Ecx = Integer.parseUnsignedInt(trapprobeCpuid.get("leaf1.ecx"), 16);
        String[] regs = trapprobeCpuid.get("leaf40000000").split(" ");
        return given(leaf1Ecx < 0, signature(Integer.parseUnsignedInt(regs[1], 16),
                Integer.parseUnsignedInt(regs[2], 16), Integer.parseUnsignedInt(regs[3], 16)));
    }

    /**
     * This machine's real CPUID as {@code trapprobe cpuid} reads it, run directly (not under the
     * trap), as {@code key=value} pairs.
     */
    static Map<String, String> thisMachine(Path trapprobe) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(trapprobe.toString(), "cpuid").redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IOException("trapprobe cpuid failed: " + out);
        }
        return TrapLauncherTest.values(out);
    }

    /** The signature in the form the supervisor's {@code --cpuid-vendor} takes: 24 hex digits. */
    static String hex(byte[] signature) {
        StringBuilder b = new StringBuilder(24);
        for (byte x : signature) {
            b.append(String.format("%02x", x & 0xFF));
        }
        return b.toString();
    }
}
