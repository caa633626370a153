package dev.vmwguest.backdoor.jna;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The test build of the stub ({@code -DVMWBACKDOOR_TEST}): what its
 * transformations do, and its one extra function. See the comment at the top
 * of {@code vmwbackdoor.c}.
 *
 * <p>Tests tagged {@value #TAG} run in their own surefire execution, where
 * {@link BackdoorStub} is bound to this library instead of the real one.
 */
final class TestStub {

    static final String TAG = "test-stub";
    static final String LIBRARY = "vmwbackdoor-test";

    static final int XOR_BX = 0x2222_2222;
    static final int XOR_CX = 0x3333_3333;
    static final int XOR_DX = 0x4444_4444;
    static final int XOR_SI = 0x5555_5555;
    static final int XOR_DI = 0x6666_6666;
    static final int XOR_BP = 0x7777_7777;

    private TestStub() {
    }

    /** Skips (rather than crashes) when the real stub is bound, e.g. when run from an IDE without the property. */
    static void assumeBound() {
        assumeTrue(LIBRARY.equals(BackdoorStub.libraryName()) && BackdoorStub.loadFailure().isEmpty(),
                () -> "needs -D" + BackdoorStub.LIBRARY_PROPERTY + "=" + LIBRARY + " (set by this module's pom); bound: "
                        + BackdoorStub.libraryName() + " " + BackdoorStub.loadFailure().map(Throwable::toString).orElse(""));
    }

    /** What the test stub xors into ax: 0x10000000 + the id of the trap it replaced. */
    static int axAfter(int trapId) {
        return dev.vmwguest.backdoor.Backdoor.MAGIC ^ (0x1000_0000 + trapId);
    }

    /** The byte the test stub's "host" writes at index {@code i} of a receive. */
    static byte hostByte(int i) {
        return (byte) ((i & 0xFF) ^ 0xA5);
    }

    /** The bytes the test stub's "host" read in the last send on any thread (at most 4096). */
    static byte[] lastSent() {
        byte[] all = new byte[4096];
        int n = Sink.vmwbd_test_sink(all, all.length);
        return Arrays.copyOf(all, Math.min(n, all.length));
    }

    /** The native address of a direct buffer's element 0 (JNA's helper adds the position). */
    static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct.duplicate().clear()));
    }

    private static final class Sink {
        static {
            Native.register(Sink.class, NativeLibrary.getInstance(LIBRARY,
                    Map.of(Library.OPTION_CLASSLOADER, Sink.class.getClassLoader())));
        }

        static native int vmwbd_test_sink(byte[] dst, int max);
    }
}
