package dev.vmwguest.backdoor.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Java side of {@link NativeBackdoor}, against the test build of the stub. */
@Tag(TestStub.TAG)
class NativeBackdoorTest {

    private final Backdoor backdoor = new NativeBackdoor(BackdoorMechanism.IO_PORT);

    @BeforeEach
    void testStubIsBound() {
        TestStub.assumeBound();
    }

    @Test
    void aReadOnlyTargetIsRejectedBeforeAnyCall() {
        RegisterFrame frame = RegisterFrame.of(1, 2, 3, 4, 5, 6, 7);

        assertThatThrownBy(() -> backdoor.receive(frame, ByteBuffer.allocateDirect(8).asReadOnlyBuffer()))
                .isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> backdoor.receive(frame, ByteBuffer.allocate(8).asReadOnlyBuffer()))
                .isInstanceOf(ReadOnlyBufferException.class);
        assertThat(frame).isEqualTo(RegisterFrame.of(1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void anEmptyBufferMovesNoBytesAndStillCallsWithCountZero() {
        ByteBuffer target = ByteBuffer.allocateDirect(8).position(8);
        RegisterFrame frame = new RegisterFrame();

        backdoor.receive(frame, target);

        assertThat(frame.cx()).isEqualTo(TestStub.XOR_CX);
        for (int i = 0; i < 8; i++) {
            assertThat(target.get(i)).isZero();
        }
    }

    @Test
    void eachThreadUsesItsOwnNativeFrame() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t << 20;
                results.add(pool.submit(() -> {
                    RegisterFrame frame = new RegisterFrame();
                    int wrong = 0;
                    for (int i = 0; i < 20_000; i++) {
                        frame.set(0, seed + i, 0, 0, 0, 0, 0);
                        backdoor.call(frame);
                        wrong += frame.bx() == ((seed + i) ^ TestStub.XOR_BX) ? 0 : 1;
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSimulatedMechanismIsNotNative() {
        assertThatIllegalArgumentException().isThrownBy(() -> new NativeBackdoor(BackdoorMechanism.SIMULATED));
    }

    @Test
    void cpuidAnswersThroughTheTestStubToo() {
        // cpuid is not replaced in the test build: it never traps into anything dangerous.
        int[] leaf0 = Cpuid.read(0);
        assertThat(leaf0[0]).isPositive();
    }
}
