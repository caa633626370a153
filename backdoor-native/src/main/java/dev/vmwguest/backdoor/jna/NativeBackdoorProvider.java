package dev.vmwguest.backdoor.jna;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorDetection.Hypercall;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.BackdoorUnavailableException.Reason;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.spi.BackdoorProvider;
import java.util.Optional;
import java.util.Set;

/**
 * Offers the native backdoor ({@value #NAME}, priority {@value #PRIORITY}) when,
 * and only when, this JVM runs on VMware, or the user forces it.
 *
 * <p>{@link #open} works in this order and stops at the first refusal:
 * <ol>
 * <li>platform: {@code linux-x86-64}, {@code linux-aarch64} or {@code win32-x86-64};</li>
 * <li>the stub library loads from this jar;</li>
 * <li>x86: CPUID must name {@code VMwareVMware}, unless {@code vmwguest.backdoor.force=true} /
 *     {@code VMWGUEST_BACKDOOR_FORCE=1} (for emulators and hidden-hypervisor setups). arm64 has no
 *     CPUID signature, so there the probe alone decides;</li>
 * <li>Linux: one GETVERSION call in a forked child process ({@link Probe}); a fault kills the child,
 *     not the JVM, and becomes a {@link BackdoorUnavailableException}. The answer must carry the magic
 *     in {@code bx} and version 6 in {@code ax}, as open-vm-tools' own check requires; another
 *     version is accepted only when forced.</li>
 * </ol>
 * A JVM on a laptop or a CI machine stops at CPUID and never executes a
 * trapping instruction, not even in a child.
 *
 * <p>Mechanism: {@code vmcall} or {@code vmmcall} when the host advertises it
 * (CPUID leaf {@code 0x40000010}) and {@code vmwguest.backdoor.legacy} is not
 * set, port I/O otherwise, the {@code mrs} form on arm64.
 *
 * <p>Pitfall, Windows: there is no isolated probe. A VMware CPUID signature is
 * trusted as it is; forcing the backdoor on a machine that is not VMware (or
 * whose VMware restricts the backdoor to kernel mode) then crashes the JVM with
 * an access violation at the first call.
 */
public final class NativeBackdoorProvider implements BackdoorProvider {

    /** The name users select it by: {@code -Dvmwguest.backdoor=native}. */
    public static final String NAME = "native";

    /** Above any pure-Java provider that may come; the simulator is never automatic anyway. */
    public static final int PRIORITY = 10;

    /** The platforms the build produces a stub for. */
    static final Set<String> PLATFORMS = Set.of("linux-x86-64", "linux-aarch64", "win32-x86-64");

    /** For {@link java.util.ServiceLoader}; cheap: nothing is loaded or probed here. */
    public NativeBackdoorProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean selectableAutomatically() {
        return true;
    }

    /** CPUID only: never touches a port, never forks. */
    @Override
    public BackdoorDetection detect(BackdoorSettings settings) {
        String platform = Backdoors.platform();
        return unsupported(platform).map(why -> BackdoorDetection.unknown(platform, why))
                .orElseGet(() -> platform.endsWith("-aarch64") ? arm64(platform, settings)
                        : Cpuid.detect(platform, settings));
    }

    /**
     * The native backdoor, after detection and (on Linux) a probe in a child process.
     *
     * @throws BackdoorUnavailableException {@code UNSUPPORTED_PLATFORM} without a stub for this
     *         platform; {@code NOT_VMWARE} when CPUID (or, on arm64, the probe) says this is not
     *         VMware; {@code NOT_ANSWERED} when a forced probe got no VMware answer;
     *         {@code RESTRICTED_TO_KERNEL} when VMware refuses the backdoor to user mode
     */
    @Override
    public Backdoor open(BackdoorSettings settings) {
        String platform = Backdoors.platform();
        Optional<String> unsupported = unsupported(platform);
        if (unsupported.isPresent()) {
            throw new BackdoorUnavailableException(Reason.UNSUPPORTED_PLATFORM, unsupported.get());
        }
        BackdoorDetection detection = detect(settings);
        if (!detection.usable()) {
            throw new BackdoorUnavailableException(Reason.NOT_VMWARE,
                    "no VMware backdoor in this JVM: " + detection.reason());
        }
        BackdoorMechanism mechanism = mechanism(detection, settings);
        Optional<BackdoorUnavailableException> refusal = Probe.run(mechanism, detection, settings.force());
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        return new NativeBackdoor(mechanism);
    }

    /** This CPU's CPUID through the stub, on x86-64 platforms whose stub loaded; empty elsewhere. */
    @Override
    public Optional<int[]> cpuid(int leaf, int subleaf) {
        String platform = Backdoors.platform();
        if (!platform.endsWith("-x86-64") || unsupported(platform).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(Cpuid.read(leaf, subleaf));
    }

    /** Which instruction form to use, from detection and the legacy setting. Pure. */
    static BackdoorMechanism mechanism(BackdoorDetection detection, BackdoorSettings settings) {
        if (detection.platform().endsWith("-aarch64")) {
            return BackdoorMechanism.ARM64;
        }
        if (settings.legacyIo() || detection.hypercall() == Hypercall.NONE) {
            return BackdoorMechanism.IO_PORT;
        }
        return detection.hypercall() == Hypercall.VMCALL ? BackdoorMechanism.VMCALL : BackdoorMechanism.VMMCALL;
    }

    /** arm64: no CPUID, so usable means "may be probed"; the probe runs in a child process. */
    static BackdoorDetection arm64(String platform, BackdoorSettings settings) {
        String reason = "arm64 has no CPUID hypervisor signature; open() asks the host with GETVERSION"
                + " in a child process" + (settings.force() ? " (" + BackdoorSettings.FORCE_PROPERTY + " is set)" : "");
        return new BackdoorDetection(platform, false, Optional.empty(), Hypercall.NONE, true, settings.force(), reason);
    }

    private static Optional<String> unsupported(String platform) {
        if (!PLATFORMS.contains(platform)) {
            return Optional.of("no native backdoor stub for " + platform + " (built for " + String.join(", ",
                    PLATFORMS.stream().sorted().toList()) + "); the VMware backdoor exists only on x86-64 and arm64");
        }
        return BackdoorStub.loadFailure().map(failure -> "the native backdoor stub for " + platform
                + " could not be loaded (" + failure + "); was the jar built without its compiler?");
    }
}
