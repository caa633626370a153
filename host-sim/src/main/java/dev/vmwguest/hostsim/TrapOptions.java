package dev.vmwguest.hostsim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How {@link TrapLauncher} runs a program.
 *
 * @param cpuidFaulting     make CPUID trap where the CPU supports it ({@code cpuid_fault}) and
 *                          answer the hypervisor leaves as VMware does ({@code VMwareVMware}, no
 *                          VMCALL/VMMCALL); on by default
 * @param cpuidBreakpoints  where CPUID faulting is unavailable, replace the program executable's own
 *                          {@code cpuid} instructions (found with objdump) by {@code ud2} in its
 *                          memory after exec and answer them as VMware would; this is how
 *                          {@code vmware-rpctool} passes its hypervisor check on such machines;
 *                          on by default (only with {@code cpuidFaulting})
 * @param blockVsock        make {@code socket(AF_VSOCK, ...)} fail with {@code EAFNOSUPPORT} in
 *                          the program (seccomp), so VMware's tools fall back to the backdoor
 *                          instead of reaching this machine's real hypervisor; on by default
 * @param forceEnvFallback  where CPUID faulting is unavailable, put
 *                          {@code VMWGUEST_BACKDOOR_FORCE=1} into the program's environment so
 *                          this project's own stack skips hypervisor detection; on by default
 * @param environment       extra environment variables for the program (added to this JVM's)
 * @param workingDirectory  the program's working directory, or {@code null} for this JVM's
 * @param timeout           the program (and everything it started) is killed after this long
 * @param supervisorLog     a file the supervisor appends one line per trapped access and per
 *                          process event to, or {@code null} for none
 * @param descendantPrograms further executables the program may start (a JVM that runs
 *                          {@code vmware-rpctool}, say) whose {@code cpuid} instructions get the same
 *                          breakpoints after their exec; only used where {@code cpuidBreakpoints} is
 */
public record TrapOptions(
        boolean cpuidFaulting,
        boolean cpuidBreakpoints,
        boolean blockVsock,
        boolean forceEnvFallback,
        Map<String, String> environment,
        @Nullable Path workingDirectory,
        Duration timeout,
        @Nullable Path supervisorLog,
        List<Path> descendantPrograms) {

    /**
     * Validates and copies.
     *
     * @param cpuidFaulting make CPUID trap where the CPU supports it ({@code cpuid_fault})
     * @param cpuidBreakpoints where CPUID faulting is unavailable, plant breakpoints on the program's own CPUID instructions
     * @param blockVsock make {@code socket(AF_VSOCK, ...)} fail with {@code EAFNOSUPPORT} in the program
     * @param forceEnvFallback where CPUID faulting is unavailable, put {@code VMWGUEST_BACKDOOR_FORCE=1} in its environment
     * @param environment extra environment variables for the program (added to this JVM's)
     * @param workingDirectory the program's working directory, or {@code null} for this JVM's
     * @param timeout the program (and everything it started) is killed after this long
     * @param supervisorLog a file the supervisor logs each trapped access to, or {@code null}
     * @param descendantPrograms further executables the program may start that get CPUID breakpoints too
     */
    public TrapOptions {
        environment = Map.copyOf(environment);
        descendantPrograms = List.copyOf(descendantPrograms);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * CPUID faulting (or breakpoints), vsock blocked, force fallback, no extra environment, 5 minutes.
     *
     * @return the default options
     */
    public static TrapOptions defaults() {
        return new TrapOptions(true, true, true, true,
                Map.of(), null, Duration.ofMinutes(5), null, List.of());
    }

    /**
     * A copy with these extra environment variables.
     *
     * @param env the variables to add
     * @return a copy with these extra environment variables
     */
    public TrapOptions withEnvironment(Map<String, String> env) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                env, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with this timeout.
     *
     * @param value how long the program may run
     * @return a copy with this timeout
     */
    public TrapOptions withTimeout(Duration value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, value, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with this working directory.
     *
     * @param value the working directory, or {@code null} for this JVM's
     * @return a copy with this working directory
     */
    public TrapOptions withWorkingDirectory(@Nullable Path value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, value, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy that writes the supervisor's log to this file.
     *
     * @param value the log file, or {@code null} for none
     * @return a copy that writes the supervisor's log to this file
     */
    public TrapOptions withSupervisorLog(@Nullable Path value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, value, descendantPrograms);
    }

    /**
     * A copy with CPUID faulting switched on or off.
     *
     * @param value whether to use CPUID faulting
     * @return a copy with CPUID faulting switched on or off
     */
    public TrapOptions withCpuidFaulting(boolean value) {
        return new TrapOptions(value, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with the CPUID breakpoint fallback switched on or off.
     *
     * @param value whether to plant CPUID breakpoints
     * @return a copy with the CPUID breakpoint fallback switched on or off
     */
    public TrapOptions withCpuidBreakpoints(boolean value) {
        return new TrapOptions(cpuidFaulting, value, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with the AF_VSOCK filter switched on or off.
     *
     * @param value whether to block AF_VSOCK sockets
     * @return a copy with the AF_VSOCK filter switched on or off
     */
    public TrapOptions withBlockVsock(boolean value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, value, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with the {@code VMWGUEST_BACKDOOR_FORCE=1} fallback switched on or off.
     *
     * @param value whether to use the environment fallback
     * @return a copy with the {@code VMWGUEST_BACKDOOR_FORCE=1} fallback switched on or off
     */
    public TrapOptions withForceEnvFallback(boolean value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, value,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy that also plants CPUID breakpoints in these executables when a descendant execs them.
     *
     * @param programs the executables
     * @return a copy that also plants CPUID breakpoints in these executables when a descendant execs them
     */
    public TrapOptions withDescendantPrograms(List<Path> programs) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, programs);
    }
}
