package dev.vmwguest.backdoor;

import java.nio.ByteBuffer;

/**
 * A way for this guest to trap into the VMware hypervisor.
 *
 * <p>Each method is one guest-to-host transition (one VM exit on real
 * hardware), so callers count calls, not bytes. Each works in place on a
 * caller-owned {@link RegisterFrame}: inputs before, outputs after, no
 * allocation.
 *
 * <p>The implementation owns the parts that depend on the mechanism (port I/O,
 * {@code vmcall}/{@code vmmcall}, the arm64 form, a simulator): it loads
 * {@link #MAGIC} into {@code ax} and the port or hypercall flags into the low
 * half of {@code dx}, whatever the caller left there; for the high-bandwidth
 * calls it also supplies the byte count ({@code cx}) and the buffer address
 * ({@code si} for {@link #send}, {@code di} for {@link #receive}) from the
 * buffer, so a wrong count can never make the host read or write outside it.
 *
 * <p>Implementations are thread-safe; frames and buffers are not, so each
 * thread (or channel) brings its own. Obtain one with {@link Backdoors#open()}
 * or, in tests, from the simulated host ({@code dev.vmwguest.hostsim}).
 */
public interface Backdoor {

    /** {@code 0x564D5868}, "VMXh": in {@code ax} on every call; GETVERSION returns it in {@code bx}. */
    int MAGIC = 0x564D5868;

    /** The low-bandwidth port, used with a 32-bit {@code in}. */
    int LOW_BANDWIDTH_PORT = 0x5658;

    /** The high-bandwidth port, used with {@code rep outsb} / {@code rep insb}. */
    int HIGH_BANDWIDTH_PORT = 0x5659;

    /**
     * Low-bandwidth call ({@code in eax, dx} on port {@link #LOW_BANDWIDTH_PORT}):
     * the frame's registers go in, the host's answer comes back in the same frame.
     *
     * @param frame the registers to send; on return, the host's answer
     */
    void call(RegisterFrame frame);

    /**
     * High-bandwidth transfer of {@code source.remaining()} bytes to the host
     * ({@code rep outsb}). The host reads from the buffer's position; the
     * position is left unchanged. Cookie halves go in {@code di} (low) and
     * {@code bp} (high). The status comes back in the high half of {@code bx}.
     *
     * @param frame the registers of the transfer (channel id, cookie halves); on return, the status in {@code bx}
     * @param source the bytes to send, from its position to its limit
     */
    void send(RegisterFrame frame, ByteBuffer source);

    /**
     * High-bandwidth transfer of {@code target.remaining()} bytes from the host
     * ({@code rep insb}) into the buffer, starting at its position; the
     * position is left unchanged. Cookie halves go in {@code si} (high) and
     * {@code bp} (low). The status comes back in the high half of {@code bx}.
     *
     * @param frame the registers of the transfer (channel id, cookie halves); on return, the status in {@code bx}
     * @param target where the host's bytes go, from its position to its limit
     * @throws java.nio.ReadOnlyBufferException if {@code target} is read-only
     */
    void receive(RegisterFrame frame, ByteBuffer target);

    /**
     * How this backdoor reaches the host; for diagnostics.
     *
     * @return how this backdoor reaches the host
     */
    BackdoorMechanism mechanism();
}
