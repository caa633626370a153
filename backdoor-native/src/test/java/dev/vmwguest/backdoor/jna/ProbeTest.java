package dev.vmwguest.backdoor.jna;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.BackdoorSettings.Mode;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.BackdoorUnavailableException.Reason;
import dev.vmwguest.backdoor.RegisterFrame;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How probe results and detections become refusals and mechanisms; pure, from
 * literal CPUID and register values (shared/protocol/backdoor.md sections 4 and 6).
 */
class ProbeTest {

    /** "VMwa", "reVM", "ware" as CPUID leaf 0x40000000 returns them in ebx, ecx, edx. */
    private static final int[] VMWARE_LEAF = {0x4000_0010, 0x6177_4D56, 0x4D56_6572, 0x6572_6177};
    /** "KVMK", "VMKV", "M\0\0\0". */
    private static final int[] KVM_LEAF = {0x4000_0001, 0x4B4D_564B, 0x564B_4D56, 0x0000_004D};
    private static final int HYPERVISOR_BIT = 0x8000_0000;

    private static final BackdoorSettings DEFAULTS = BackdoorSettings.defaults();
    private static final BackdoorSettings FORCED = new BackdoorSettings(Mode.AUTO, true, false);
    private static final BackdoorSettings LEGACY = new BackdoorSettings(Mode.AUTO, false, true);

    private static BackdoorDetection vmware(int featureEcx) {
        return BackdoorDetection.fromCpuid("linux-x86-64", HYPERVISOR_BIT, VMWARE_LEAF, featureEcx, DEFAULTS);
    }

    private static BackdoorDetection kvmForced() {
        return BackdoorDetection.fromCpuid("linux-x86-64", HYPERVISOR_BIT, KVM_LEAF, 0, FORCED);
    }

    private static Optional<BackdoorUnavailableException> judge(int code, int detail, RegisterFrame answer,
            BackdoorDetection detection) {
        return Probe.judge(code, detail, answer, BackdoorMechanism.IO_PORT, detection);
    }

    @Test
    void theProbeSendsGetVersionWithASentinelInBxAndCx() {
        assertThat(Probe.getVersionRequest()).isEqualTo(RegisterFrame.of(
                Backdoor.MAGIC, 0xA9B2_A797, 0xFFFF_000A, 0x5658, 0, 0, 0));
        assertThat(BackdoorCommand.GETVERSION).isEqualTo(10);
    }

    @Test
    void aVmwareAnswerIsAcceptedAndAnUnchangedFrameIsNot() {
        RegisterFrame answered = RegisterFrame.of(6, Backdoor.MAGIC, 4, 0x5658, 0, 0, 0);
        RegisterFrame unchanged = Probe.getVersionRequest();

        assertThat(judge(Probe.ANSWERED, 0, answered, vmware(0))).isEmpty();
        assertThat(judge(Probe.ANSWERED, 0, unchanged, kvmForced())).hasValueSatisfying(refusal -> {
            assertThat(refusal.reason()).isEqualTo(Reason.NOT_ANSWERED);
            assertThat(refusal.getMessage()).contains("bx=564d5868").contains(BackdoorSettings.FORCE_ENV);
        });
        assertThat(judge(Probe.ANSWERED, 0, RegisterFrame.of(-1, Backdoor.MAGIC, 0, 0, 0, 0, 0), vmware(0)))
                .hasValueSatisfying(refusal -> assertThat(refusal.reason()).isEqualTo(Reason.NOT_ANSWERED));
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {0, 1, 5, 7, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE})
    void anAnswerWithTheMagicButAnotherVersionIsRefusedUnlessForcedAndTheRefusalSaysWhatWasSeen(int version) {
        RegisterFrame answer = RegisterFrame.of(version, Backdoor.MAGIC, 2, 0x5658, 0, 0, 0);

        assertThat(judge(Probe.ANSWERED, 0, answer, vmware(0))).hasValueSatisfying(refusal -> {
            assertThat(refusal.reason()).isEqualTo(Reason.NOT_ANSWERED);
            assertThat(refusal.getMessage())
                    .contains("version " + Integer.toUnsignedString(version) + " ")
                    .contains("ax=" + Integer.toHexString(version))
                    .contains("answers 6")
                    .contains(BackdoorSettings.FORCE_PROPERTY).contains(BackdoorSettings.FORCE_ENV);
        });
        assertThat(Probe.judge(Probe.ANSWERED, 0, answer, BackdoorMechanism.IO_PORT, vmware(0), true))
                .as("forced by the user on a VMware signature").isEmpty();
        assertThat(judge(Probe.ANSWERED, 0, answer, kvmForced())).as("forced on another signature").isEmpty();
    }

    @Test
    void versionSixIsAcceptedForcedOrNot() {
        RegisterFrame answer = RegisterFrame.of(6, Backdoor.MAGIC, 2, 0x5658, 0, 0, 0);

        assertThat(Probe.judge(Probe.ANSWERED, 0, answer, BackdoorMechanism.IO_PORT, vmware(0), false)).isEmpty();
        assertThat(judge(Probe.ANSWERED, 0, answer, kvmForced())).isEmpty();
    }

    @Test
    void aFaultOnVmwareMeansRestrictedToKernelAndElsewhereNotAnswered() {
        RegisterFrame ignored = new RegisterFrame();

        assertThat(judge(Probe.SIGNALED, 11, ignored, vmware(0))).hasValueSatisfying(refusal -> {
            assertThat(refusal.reason()).isEqualTo(Reason.RESTRICTED_TO_KERNEL);
            assertThat(refusal.getMessage()).contains("SIGSEGV").contains("kernel mode");
        });
        assertThat(judge(Probe.SIGNALED, 11, ignored, kvmForced())).hasValueSatisfying(refusal -> {
            assertThat(refusal.reason()).isEqualTo(Reason.NOT_ANSWERED);
            assertThat(refusal.getMessage()).contains("KVMKVMKVM").contains("signal 11 (SIGSEGV)");
        });
    }

    @Test
    void onArm64WithoutForceAFaultOrNoAnswerMeansNotVmware() {
        BackdoorDetection arm = NativeBackdoorProvider.arm64("linux-aarch64", DEFAULTS);

        assertThat(arm.usable()).isTrue();
        assertThat(arm.forced()).isFalse();
        assertThat(Probe.judge(Probe.SIGNALED, 4, new RegisterFrame(), BackdoorMechanism.ARM64, arm))
                .hasValueSatisfying(refusal -> {
                    assertThat(refusal.reason()).isEqualTo(Reason.NOT_VMWARE);
                    assertThat(refusal.getMessage()).contains("SIGILL").contains("mrs xzr, mdccsr_el0");
                });
        assertThat(Probe.judge(Probe.ANSWERED, 0, Probe.getVersionRequest(), BackdoorMechanism.ARM64, arm))
                .hasValueSatisfying(refusal -> assertThat(refusal.reason()).isEqualTo(Reason.NOT_VMWARE));
    }

    @Test
    void timeoutsExitsAndForkFailuresAreRefusalsThatSayWhatHappened() {
        RegisterFrame ignored = new RegisterFrame();

        assertThat(judge(Probe.TIMEOUT, 5000, ignored, kvmForced()))
                .hasValueSatisfying(r -> assertThat(r.getMessage()).contains("within 5000 ms"));
        assertThat(judge(Probe.EXITED, 3, ignored, kvmForced()))
                .hasValueSatisfying(r -> assertThat(r.getMessage()).contains("status 3"));
        assertThat(judge(Probe.FAILED, 12, ignored, kvmForced()))
                .hasValueSatisfying(r -> assertThat(r.getMessage()).contains("errno 12"));
    }

    @Test
    void withoutAnIsolatedProbeTheDetectionIsTrusted() {
        assertThat(judge(Probe.UNSUPPORTED, 0, new RegisterFrame(), vmware(0))).isEmpty();
    }

    @Test
    void theMechanismFollowsTheAdvertisedHypercallUnlessLegacyIsSet() {
        assertThat(NativeBackdoorProvider.mechanism(vmware(0x0), DEFAULTS)).isEqualTo(BackdoorMechanism.IO_PORT);
        assertThat(NativeBackdoorProvider.mechanism(vmware(0x2), DEFAULTS)).isEqualTo(BackdoorMechanism.VMCALL);
        assertThat(NativeBackdoorProvider.mechanism(vmware(0x1), DEFAULTS)).isEqualTo(BackdoorMechanism.VMMCALL);
        assertThat(NativeBackdoorProvider.mechanism(vmware(0x3), DEFAULTS)).isEqualTo(BackdoorMechanism.IO_PORT);
        assertThat(NativeBackdoorProvider.mechanism(vmware(0x2), LEGACY)).isEqualTo(BackdoorMechanism.IO_PORT);
        assertThat(NativeBackdoorProvider.mechanism(kvmForced(), DEFAULTS)).isEqualTo(BackdoorMechanism.IO_PORT);
        assertThat(NativeBackdoorProvider.mechanism(NativeBackdoorProvider.arm64("linux-aarch64", DEFAULTS), DEFAULTS))
                .isEqualTo(BackdoorMechanism.ARM64);
    }

    @Test
    void theStubsMechanismCodesMatchVmwbackdoorH() {
        assertThat(Probe.stubMechanism(BackdoorMechanism.IO_PORT)).isZero();
        assertThat(Probe.stubMechanism(BackdoorMechanism.ARM64)).isZero();
        assertThat(Probe.stubMechanism(BackdoorMechanism.VMCALL)).isEqualTo(1);
        assertThat(Probe.stubMechanism(BackdoorMechanism.VMMCALL)).isEqualTo(2);
    }
}
