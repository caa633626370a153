package dev.vmwguest.trap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GETVERSION probe of the real native stub, end to end: a child JVM ({@link TrapOpenChild})
 * opens the backdoor under the trap launcher against a host that answers the magic with a
 * version of the test's choosing. VMware answers 6, and open-vm-tools accepts nothing else.
 */
class TrapGetVersionTest {

    /** Answers GETVERSION with the magic and {@code version}; nothing else is expected. */
    static final class VersionHost implements Backdoor {
        final int version;
        final List<String> unexpected = new ArrayList<>();

        VersionHost(int version) {
            this.version = version;
        }

        @Override
        public synchronized void call(RegisterFrame f) {
            if (RegisterFrame.low16(f.cx()) == 10) {
                f.ax(version).bx(MAGIC).cx(2);
            } else {
                unexpected.add("LB " + f);
            }
        }

        @Override
        public synchronized void send(RegisterFrame f, ByteBuffer source) {
            unexpected.add("HB out " + f);
        }

        @Override
        public synchronized void receive(RegisterFrame f, ByteBuffer target) {
            unexpected.add("HB in " + f);
        }

        @Override
        public BackdoorMechanism mechanism() {
            throw new UnsupportedOperationException("not used by the launcher");
        }
    }

    @BeforeEach
    void needsTheTrapAndTheNativeStub() {
        TrapJvmContractTest.assumeChildJvmPossible();
    }

    private static TrapResult<VersionHost> open(int version, boolean forced, TrapOptions options) {
        List<String> jvmOptions = new ArrayList<>(List.of("-Dvmwguest.backdoor=native"));
        if (forced) {
            jvmOptions.add("-Dvmwguest.backdoor.force=true");
        }
        TrapResult<VersionHost> result = TrapLauncher.run(new VersionHost(version),
                TrapJvmContractTest.childJvm(jvmOptions, TrapOpenChild.class), options.withTimeout(Duration.ofMinutes(3)));
        assertThat(result.exitCode()).as("child JVM; stdout:%n%s%nstderr:%n%s", result.stdout(), result.stderr())
                .isZero();
        assertThat(result.hostErrors()).isEmpty();
        assertThat(result.host().unexpected).isEmpty();
        return result;
    }

    @Test
    void forcedAnotherVersionIsAccepted() {
        TrapResult<VersionHost> result = open(7, true, TrapOptions.defaults());

        assertThat(result.stdout()).contains("opened=");
        assertThat(result.lowBandwidthCalls()).as("the probe's one GETVERSION").isEqualTo(1);
    }

    @Test
    void unforcedOnlyVersionSixOpensAndARefusalNamesTheVersionSeen() {
        assumeTrue(TrapLauncher.cpuidFaultingAvailable(), "no cpuid_fault: the child JVM's own CPUID (in the stub "
                + "library, which breakpoints do not cover) shows this machine's signature, so it can open only when forced");
        TrapOptions unforced = TrapOptions.defaults().withForceEnvFallback(false);

        assertThat(open(6, false, unforced).stdout()).contains("opened=");
        TrapResult<VersionHost> seven = open(7, false, unforced);
        assertThat(seven.stdout()).contains("refused=NOT_ANSWERED").contains("version 7 ").contains("answers 6");
    }
}
