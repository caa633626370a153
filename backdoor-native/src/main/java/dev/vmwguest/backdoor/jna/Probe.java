package dev.vmwguest.backdoor.jna;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.BackdoorUnavailableException.Reason;
import dev.vmwguest.backdoor.RegisterFrame;
import java.util.Optional;

/**
 * The GETVERSION probe, run in a forked child process by the stub so that a
 * fault kills the child and never the JVM (no crash, no {@code hs_err} file).
 *
 * <p>Why a child process: the JVM owns SIGSEGV/SIGILL for its own purposes, so
 * catching a fault inside it is fragile ({@code shared/protocol/backdoor.md}
 * section 6). Forking costs about a millisecond, once per
 * {@link NativeBackdoorProvider#open}. Windows has no fork: there the stub
 * answers {@link #UNSUPPORTED} and the provider relies on CPUID (or on the
 * user's force setting) alone.
 */
final class Probe {

    static final int ANSWERED = 0;
    static final int SIGNALED = 1;
    static final int EXITED = 2;
    static final int TIMEOUT = 3;
    static final int FAILED = 4;
    static final int UNSUPPORTED = 5;

    /** Generous: a VMware host answers GETVERSION in microseconds; an emulator may be slow. */
    static final int TIMEOUT_MILLIS = 5000;

    /**
     * The only backdoor version VMware products answer, and the only one open-vm-tools' own check
     * accepts ({@code VERSION_MAGIC}, shared/protocol/backdoor.md section 6).
     */
    static final int VMWARE_VERSION = 6;

    private Probe() {
    }

    /**
     * Runs GETVERSION through {@code mechanism} in a child process.
     *
     * @param forced the user's force setting: it also accepts an answer with a version other than 6
     * @return the refusal, or empty when a VMware host answered or no isolated probe exists here
     */
    static Optional<BackdoorUnavailableException> run(BackdoorMechanism mechanism, BackdoorDetection detection,
            boolean forced) {
        Scratch scratch = Scratch.get();
        RegisterFrame frame = getVersionRequest();
        scratch.load(frame);
        int code = BackdoorStub.probe(scratch.frame, stubMechanism(mechanism), TIMEOUT_MILLIS);
        scratch.store(frame);
        return judge(code, scratch.detail(), frame, mechanism, detection, forced);
    }

    /**
     * GETVERSION as open-vm-tools sends it: bx anything but the magic (so an
     * unchanged frame is not mistaken for an answer), command 10 with 0xFFFF in
     * the high half of cx (section 6).
     */
    static RegisterFrame getVersionRequest() {
        return RegisterFrame.of(Backdoor.MAGIC, ~Backdoor.MAGIC, 0xFFFF_0000 | BackdoorCommand.GETVERSION,
                Backdoor.LOW_BANDWIDTH_PORT, 0, 0, 0);
    }

    /** {@link #judge(int, int, RegisterFrame, BackdoorMechanism, BackdoorDetection, boolean)}, forced as detected. */
    static Optional<BackdoorUnavailableException> judge(int code, int detail, RegisterFrame answer,
            BackdoorMechanism mechanism, BackdoorDetection detection) {
        return judge(code, detail, answer, mechanism, detection, detection.forced());
    }

    /** Decides from the stub's result code, its detail and the child's registers. Pure. */
    static Optional<BackdoorUnavailableException> judge(int code, int detail, RegisterFrame answer,
            BackdoorMechanism mechanism, BackdoorDetection detection, boolean forced) {
        String probe = "the GETVERSION probe (" + instruction(mechanism) + ", run in a child process)";
        return switch (code) {
            case UNSUPPORTED -> Optional.empty();
            case ANSWERED -> answered(answer, probe, detection, forced);
            case SIGNALED -> Optional.of(detection.isVmware()
                    ? new BackdoorUnavailableException(Reason.RESTRICTED_TO_KERNEL, "CPUID reports "
                            + BackdoorDetection.VMWARE_VENDOR + ", but " + probe + " died of " + signal(detail)
                            + ": this VM does not let user-mode code use the backdoor (its configuration restricts "
                            + "it to kernel mode). Ask the VM's administrator; this JVM was not affected")
                    : refuse(detection, probe + " died of " + signal(detail)
                            + ": nothing on this machine answers the VMware backdoor"));
            case TIMEOUT -> Optional.of(refuse(detection, probe + " got no answer within " + detail
                    + " ms and was killed"));
            case EXITED -> Optional.of(refuse(detection, probe + " exited with status " + detail
                    + " without answering"));
            case FAILED -> Optional.of(refuse(detection, "could not start " + probe + ": errno " + detail
                    + " (out of memory or processes?)"));
            default -> Optional.of(refuse(detection, probe + " returned unknown code " + code));
        };
    }

    /**
     * open-vm-tools' check (vmcheck.c): eax not 0xFFFFFFFF, bx the magic, and eax the version 6.
     * Another version is accepted only when the user forces the backdoor (an emulator that answers
     * differently); the refusal names the version seen.
     */
    private static Optional<BackdoorUnavailableException> answered(RegisterFrame answer, String probe,
            BackdoorDetection detection, boolean forced) {
        if (answer.bx() != Backdoor.MAGIC || answer.ax() == -1) {
            return Optional.of(refuse(detection, probe + " was not answered by a VMware host: it returned "
                    + answer + ", a VMware host returns bx=564d5868"));
        }
        if (answer.ax() == VMWARE_VERSION || forced) {
            return Optional.empty();
        }
        return Optional.of(new BackdoorUnavailableException(Reason.NOT_ANSWERED, probe
                + " was answered with the magic in bx but version " + Integer.toUnsignedString(answer.ax())
                + " (ax=" + Integer.toHexString(answer.ax()) + ") where every VMware product answers "
                + VMWARE_VERSION + ", as open-vm-tools requires (" + detection.reason() + "). Set -D"
                + BackdoorSettings.FORCE_PROPERTY + "=true or " + BackdoorSettings.FORCE_ENV
                + "=1 to use this host anyway; this JVM was not affected"));
    }

    /** Forced or VMware: something was expected to answer and did not; otherwise: not VMware. */
    private static BackdoorUnavailableException refuse(BackdoorDetection detection, String what) {
        String message = what + " (" + detection.reason() + ")";
        if (detection.forced()) {
            return new BackdoorUnavailableException(Reason.NOT_ANSWERED, message + ". Unset "
                    + BackdoorSettings.FORCE_PROPERTY + " / " + BackdoorSettings.FORCE_ENV
                    + " unless this runs under a VMware-compatible emulator or hidden hypervisor; this JVM was not affected");
        }
        if (detection.isVmware()) {
            return new BackdoorUnavailableException(Reason.NOT_ANSWERED, message
                    + ". The host did not answer as VMware does; this JVM was not affected");
        }
        return new BackdoorUnavailableException(Reason.NOT_VMWARE, message
                + ". This is not a VMware VM (or it hides the backdoor); this JVM was not affected");
    }

    /** The stub's mechanism codes ({@code VMWBD_IO}, {@code VMWBD_VMCALL}, {@code VMWBD_VMMCALL}). */
    static int stubMechanism(BackdoorMechanism mechanism) {
        return switch (mechanism) {
            case VMCALL -> 1;
            case VMMCALL -> 2;
            default -> 0;
        };
    }

    static String instruction(BackdoorMechanism mechanism) {
        return switch (mechanism) {
            case VMCALL -> "vmcall";
            case VMMCALL -> "vmmcall";
            case ARM64 -> "mrs xzr, mdccsr_el0 with an x86 IN descriptor";
            default -> "in eax, dx on port 0x5658";
        };
    }

    /** Linux numbering, the only place the probe runs. */
    static String signal(int number) {
        String name = switch (number) {
            case 4 -> "SIGILL";
            case 5 -> "SIGTRAP";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            default -> "signal";
        };
        return "signal " + number + " (" + name + ")";
    }
}
