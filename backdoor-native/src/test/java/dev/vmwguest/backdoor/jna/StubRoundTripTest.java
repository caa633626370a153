package dev.vmwguest.backdoor.jna;

import static dev.vmwguest.backdoor.jna.TestStub.XOR_BP;
import static dev.vmwguest.backdoor.jna.TestStub.XOR_BX;
import static dev.vmwguest.backdoor.jna.TestStub.XOR_CX;
import static dev.vmwguest.backdoor.jna.TestStub.XOR_DI;
import static dev.vmwguest.backdoor.jna.TestStub.XOR_DX;
import static dev.vmwguest.backdoor.jna.TestStub.XOR_SI;
import static dev.vmwguest.backdoor.jna.TestStub.axAfter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every register in and out of every trapping function, through the real JNA
 * binding and the test build of the stub, whose traps xor each register with a
 * constant of its own (so a register that was not loaded, or not stored, or
 * swapped with another, shows).
 */
@Tag(TestStub.TAG)
class StubRoundTripTest {

    private static final int BX = 0x89AB_CDEF;
    private static final int CX = 0xFEDC_0001;
    /** High half = a channel id the stub must keep; low half = garbage the stub must replace. */
    private static final int DX = 0x1234_BEEF;
    private static final int SI = 0xC00C_1E01;
    private static final int DI = 0xC00C_1E02;
    private static final int BP = 0x0B0B_F00D;

    @BeforeEach
    void testStubIsBound() {
        TestStub.assumeBound();
    }

    private static RegisterFrame request() {
        // ax is garbage too: the stub supplies the magic.
        return RegisterFrame.of(0x0BAD_0BAD, BX, CX, DX, SI, DI, BP);
    }

    /** Trap ids of the test stub: 1..3 port I/O, 4..6 vmcall, 7..9 vmmcall (LB, HB out, HB in). */
    private static int firstId(BackdoorMechanism mechanism) {
        return switch (mechanism) {
            case VMCALL -> 4;
            case VMMCALL -> 7;
            default -> 1;
        };
    }

    /** dx low half the stub must supply: the port, or the hypercall flags (fact sheet section 4). */
    private static int dxLow(BackdoorMechanism mechanism, int lbOutIn) {
        if (mechanism == BackdoorMechanism.IO_PORT) {
            return lbOutIn == 0 ? 0x5658 : 0x5659;
        }
        return new int[] {0x0000, 0x0003, 0x0001}[lbOutIn];
    }

    @ParameterizedTest
    @EnumSource(names = {"IO_PORT", "VMCALL", "VMMCALL"})
    void aLowBandwidthCallLoadsAndStoresEveryRegisterButBp(BackdoorMechanism mechanism) {
        RegisterFrame frame = request();

        new NativeBackdoor(mechanism).call(frame);

        assertThat(frame).isEqualTo(RegisterFrame.of(
                axAfter(firstId(mechanism)),
                BX ^ XOR_BX,
                CX ^ XOR_CX,
                (0x1234_0000 | dxLow(mechanism, 0)) ^ XOR_DX,
                SI ^ XOR_SI,
                DI ^ XOR_DI,
                BP));
    }

    @ParameterizedTest
    @EnumSource(names = {"IO_PORT", "VMCALL", "VMMCALL"})
    void aSendFromADirectBufferPassesItsAddressAtThePositionAndTheCountInCx(BackdoorMechanism mechanism) {
        ByteBuffer source = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 64; i++) {
            source.put(i, (byte) (i * 3 + 1));
        }
        source.position(3).limit(43);
        RegisterFrame frame = request();

        new NativeBackdoor(mechanism).send(frame, source);

        assertThat(frame).isEqualTo(RegisterFrame.of(
                axAfter(firstId(mechanism) + 1),
                BX ^ XOR_BX,
                40 ^ XOR_CX,
                (0x1234_0000 | dxLow(mechanism, 1)) ^ XOR_DX,
                (int) (TestStub.address(source) + 3) ^ XOR_SI,
                DI ^ XOR_DI,
                BP ^ XOR_BP));
        assertThat(TestStub.lastSent()).isEqualTo(bytes(source, 3, 40));
        assertThat(source.position()).isEqualTo(3);
        assertThat(source.limit()).isEqualTo(43);
    }

    @ParameterizedTest
    @EnumSource(names = {"IO_PORT", "VMCALL", "VMMCALL"})
    void aSendFromAHeapBufferSendsItsRemainingBytes(BackdoorMechanism mechanism) {
        byte[] array = new byte[3000];
        for (int i = 0; i < array.length; i++) {
            array[i] = (byte) (i * 7);
        }
        // A slice, so that arrayOffset, position and limit all differ from 0 and the length.
        ByteBuffer source = ByteBuffer.wrap(array, 10, 2000).slice().position(5).asReadOnlyBuffer();
        RegisterFrame frame = request();

        new NativeBackdoor(mechanism).send(frame, source);

        assertThat(TestStub.lastSent()).isEqualTo(java.util.Arrays.copyOfRange(array, 15, 2010));
        assertThat(frame.cx()).isEqualTo(1995 ^ XOR_CX);
        assertThat(frame.dx()).isEqualTo((0x1234_0000 | dxLow(mechanism, 1)) ^ XOR_DX);
        assertThat(frame.di()).isEqualTo(DI ^ XOR_DI);
        assertThat(frame.bp()).isEqualTo(BP ^ XOR_BP);
        assertThat(source.position()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(names = {"IO_PORT", "VMCALL", "VMMCALL"})
    void aReceiveIntoADirectBufferFillsExactlyItsRemainingBytes(BackdoorMechanism mechanism) {
        ByteBuffer target = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 64; i++) {
            target.put(i, (byte) 0x11);
        }
        target.position(7).limit(57);
        RegisterFrame frame = request();

        new NativeBackdoor(mechanism).receive(frame, target);

        assertThat(frame).isEqualTo(RegisterFrame.of(
                axAfter(firstId(mechanism) + 2),
                BX ^ XOR_BX,
                50 ^ XOR_CX,
                (0x1234_0000 | dxLow(mechanism, 2)) ^ XOR_DX,
                SI ^ XOR_SI,
                (int) (TestStub.address(target) + 7) ^ XOR_DI,
                BP ^ XOR_BP));
        ByteBuffer whole = target.duplicate().clear();
        for (int i = 0; i < 64; i++) {
            byte expected = i >= 7 && i < 57 ? TestStub.hostByte(i - 7) : 0x11;
            assertThat(whole.get(i)).as("byte %d", i).isEqualTo(expected);
        }
        assertThat(target.position()).isEqualTo(7);
        assertThat(target.limit()).isEqualTo(57);
    }

    @ParameterizedTest
    @EnumSource(names = {"IO_PORT", "VMCALL", "VMMCALL"})
    void aReceiveIntoAHeapBufferFillsExactlyItsRemainingBytes(BackdoorMechanism mechanism) {
        byte[] array = new byte[100_000];
        java.util.Arrays.fill(array, (byte) 0x11);
        // Larger than the initial copy area, so the per-thread area grows.
        ByteBuffer target = ByteBuffer.wrap(array, 10, 90_000).slice().position(4);
        RegisterFrame frame = request();

        new NativeBackdoor(mechanism).receive(frame, target);

        assertThat(frame.ax()).isEqualTo(axAfter(firstId(mechanism) + 2));
        assertThat(frame.cx()).isEqualTo(89_996 ^ XOR_CX);
        assertThat(frame.si()).isEqualTo(SI ^ XOR_SI);
        assertThat(frame.bp()).isEqualTo(BP ^ XOR_BP);
        for (int i = 0; i < array.length; i++) {
            byte expected = i >= 14 && i < 90_010 ? TestStub.hostByte(i - 14) : 0x11;
            if (array[i] != expected) {
                assertThat(array[i]).as("byte %d", i).isEqualTo(expected);
            }
        }
        assertThat(target.position()).isEqualTo(4);
    }

    private static byte[] bytes(ByteBuffer buffer, int from, int length) {
        byte[] out = new byte[length];
        buffer.get(from, out);
        return out;
    }
}
