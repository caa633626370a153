package dev.vmwguest.trap;

import java.util.List;

import dev.vmwguest.backdoor.Backdoor;

/**
 * What a program run by {@link TrapLauncher} did.
 *
 * @param <B>             the type of host the program ran against
 * @param host            the host that answered the program's backdoor accesses (inspect its
 *                        guestinfo store, log, counters and transcript)
 * @param exitCode        the program's exit status; {@code 128 + n} when killed by signal
 *                        {@code n}; {@code -1} when it timed out; {@code 125}–{@code 127} are
 *                        also used by the supervisor for its own failures (see {@code stderr})
 * @param timedOut        whether the run was killed at {@link TrapOptions#timeout()}
 * @param stdout          everything the program (and its children) wrote to standard output,
 *                        decoded as UTF-8
 * @param stderr          the same for standard error; the supervisor's own error messages start
 *                        with {@code "vmwtrap: "}
 * @param cpuidFaulting   whether CPUID was trapped, so the program saw {@code VMwareVMware}
 * @param cpuidBreakpoints whether CPUID breakpoints were planted instead (no CPUID faulting here)
 * @param vsockBlocked    whether {@code AF_VSOCK} sockets were blocked in the program
 * @param forcedByEnv     whether {@code VMWGUEST_BACKDOOR_FORCE=1} was put in its environment
 * @param lowBandwidthCalls trapped {@code in eax, dx} accesses answered
 * @param highBandwidthOut trapped {@code rep outsb} accesses answered
 * @param highBandwidthIn  trapped {@code rep insb} accesses answered
 * @param hostErrors      exceptions the host threw while answering (each such access got its
 *                        SIGSEGV delivered instead) and a broken connection to the supervisor,
 *                        as texts
 */
public record TrapResult<B extends Backdoor>(
        B host,
        int exitCode,
        boolean timedOut,
        String stdout,
        String stderr,
        boolean cpuidFaulting,
        boolean cpuidBreakpoints,
        boolean vsockBlocked,
        boolean forcedByEnv,
        long lowBandwidthCalls,
        long highBandwidthOut,
        long highBandwidthIn,
        List<String> hostErrors) {

    /**
     * Copies the error list.
     *
     * @param host the host that answered the program's backdoor accesses
     * @param exitCode the program's exit status; {@code 128 + n} when killed by signal n
     * @param timedOut whether the run was killed at {@link TrapOptions#timeout()}
     * @param stdout everything the program (and its children) wrote to standard output
     * @param stderr the same for standard error
     * @param cpuidFaulting whether CPUID was trapped, so the program saw {@code VMwareVMware}
     * @param cpuidBreakpoints whether CPUID breakpoints were planted instead
     * @param vsockBlocked whether {@code AF_VSOCK} sockets were blocked in the program
     * @param forcedByEnv whether {@code VMWGUEST_BACKDOOR_FORCE=1} was put in its environment
     * @param lowBandwidthCalls trapped {@code in eax, dx} accesses answered
     * @param highBandwidthOut trapped {@code rep outsb} accesses answered
     * @param highBandwidthIn trapped {@code rep insb} accesses answered
     * @param hostErrors exceptions the host threw while answering
     */
    public TrapResult {
        hostErrors = List.copyOf(hostErrors);
    }

    /**
     * All trapped backdoor accesses answered (LB + HB out + HB in).
     *
     * @return all trapped backdoor accesses answered (LB + HB out + HB in)
     */
    public long trappedCalls() {
        return lowBandwidthCalls + highBandwidthOut + highBandwidthIn;
    }

    /**
     * Exit code 0, no timeout and no host errors.
     *
     * @return whether the run exited 0, in time, with no host errors
     */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut && hostErrors.isEmpty();
    }
}
