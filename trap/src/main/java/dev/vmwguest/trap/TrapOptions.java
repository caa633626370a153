package dev.vmwguest.trap;

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
 *                          VMCALL/VMMCALL); on by default. Off, a {@code cpuid_fault} machine takes
 *                          the breakpoint path below instead, so both paths can be tested on one
 *                          machine
 * @param cpuidBreakpoints  where CPUID faulting is unavailable or switched off, replace the program
 *                          executable's own {@code cpuid} instructions (found with objdump) by
 *                          {@code ud2} in its memory after exec and answer them as VMware would;
 *                          this is how {@code vmware-rpctool} passes its hypervisor check on such
 *                          machines; on by default. With both off the program sees this machine's
 *                          real signature
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
     * @param cpuidFaulting      make CPUID trap where the CPU supports it and answer as VMware does
     * @param cpuidBreakpoints   where CPUID faulting is unavailable or off, trap the executable's own
     *                           {@code cpuid} instructions instead
     * @param blockVsock         make {@code socket(AF_VSOCK, ...)} fail in the program
     * @param forceEnvFallback   where CPUID faulting is unavailable, set {@code VMWGUEST_BACKDOOR_FORCE=1}
     * @param environment        extra environment variables for the program
     * @param workingDirectory   the program's working directory, or {@code null} for this JVM's
     * @param timeout            how long the program may run before it is killed
     * @param supervisorLog      the supervisor's log file, or {@code null} for none
     * @param descendantPrograms further executables that get the same CPUID breakpoints after their exec
     * @throws NullPointerException     if {@code environment}, {@code timeout} or
     *                                  {@code descendantPrograms} is null, or contains null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
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
     * CPUID faulting (or breakpoints where the CPU lacks it), vsock blocked, force fallback, no extra
     * environment, 5 minutes.
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
     * @param env the variables to add to this JVM's environment, replacing any set before
     * @return the copy
     * @throws NullPointerException if {@code env} is null or contains null
     */
    public TrapOptions withEnvironment(Map<String, String> env) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                env, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with this timeout.
     *
     * @param value how long the program may run before it is killed
     * @return the copy
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is zero or negative
     */
    public TrapOptions withTimeout(Duration value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, value, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with this working directory.
     *
     * @param value the program's working directory, or {@code null} for this JVM's
     * @return the copy
     */
    public TrapOptions withWorkingDirectory(@Nullable Path value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, value, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy that writes the supervisor's log to this file.
     *
     * @param value the file to append to, or {@code null} for no log
     * @return the copy
     */
    public TrapOptions withSupervisorLog(@Nullable Path value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, value, descendantPrograms);
    }

    /**
     * A copy with CPUID faulting switched on or off (off: CPUID breakpoints, if those are on).
     *
     * @param value true to use CPUID faulting where the CPU supports it
     * @return the copy
     */
    public TrapOptions withCpuidFaulting(boolean value) {
        return new TrapOptions(value, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with the CPUID breakpoint fallback switched on or off.
     *
     * @param value true to plant CPUID breakpoints where faulting is not used
     * @return the copy
     */
    public TrapOptions withCpuidBreakpoints(boolean value) {
        return new TrapOptions(cpuidFaulting, value, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with the AF_VSOCK filter switched on or off.
     *
     * @param value true to make {@code AF_VSOCK} sockets fail in the program
     * @return the copy
     */
    public TrapOptions withBlockVsock(boolean value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, value, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy with the {@code VMWGUEST_BACKDOOR_FORCE=1} fallback switched on or off.
     *
     * @param value true to set the variable where CPUID faulting is unavailable
     * @return the copy
     */
    public TrapOptions withForceEnvFallback(boolean value) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, value,
                environment, workingDirectory, timeout, supervisorLog, descendantPrograms);
    }

    /**
     * A copy that also plants CPUID breakpoints in these executables when a descendant execs them.
     *
     * @param programs the executables, replacing any set before
     * @return the copy
     * @throws NullPointerException if {@code programs} is null or contains null
     */
    public TrapOptions withDescendantPrograms(List<Path> programs) {
        return new TrapOptions(cpuidFaulting, cpuidBreakpoints, blockVsock, forceEnvFallback,
                environment, workingDirectory, timeout, supervisorLog, programs);
    }
}
