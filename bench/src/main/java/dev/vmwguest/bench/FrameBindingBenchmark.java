package dev.vmwguest.bench;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The two allocation-free ways to pass a register frame to the native stub
 * (issue 2), each including the copy from and back to a {@link RegisterFrame}
 * as the backdoor does it:
 *
 * <ul>
 *   <li>{@code nativeFrame}: a reused native block, its address passed as a
 *       {@code long}, read and written through a {@link ByteBuffer} view
 *       (what {@code backdoor-native} ships);</li>
 *   <li>{@code intArray}: a reused {@code int[]}, which JNA direct mapping
 *       copies into native memory and back on every call.</li>
 * </ul>
 *
 * Both bind {@code vmwbd_io_lb} of the <em>test</em> stub
 * ({@code libvmwbackdoor-test.so}, built by backdoor-native's test phase),
 * whose {@code in} instruction is replaced by register arithmetic: the real one
 * faults outside VMware. Its path comes from the system property
 * {@value #STUB_PROPERTY}, which {@code bench/run.sh} sets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameBindingBenchmark {

    static final String STUB_PROPERTY = "vmwguest.bench.teststub";

    private final RegisterFrame frame = new RegisterFrame();
    private final int[] array = new int[8];
    private Memory memory;
    private ByteBuffer view;
    private long address;

    /** Direct mapping with the frame as an address. */
    static final class ViaAddress {
        static native void vmwbd_io_lb(long frame);
    }

    /** Direct mapping with the frame as an array JNA copies in and out. */
    static final class ViaArray {
        static native void vmwbd_io_lb(int[] frame);
    }

    @Setup(Level.Trial)
    public void bind() {
        String property = System.getProperty(STUB_PROPERTY, "");
        Path stub = Path.of(property).toAbsolutePath();
        if (property.isEmpty() || !Files.isRegularFile(stub)) {
            throw new IllegalStateException("set -D" + STUB_PROPERTY + "=<path to libvmwbackdoor-test.so> "
                    + "(built by ./mvnw package in backdoor-native/target/test-classes/linux-x86-64): '"
                    + property + "'");
        }
        NativeLibrary library = NativeLibrary.getInstance(stub.toString());
        Native.register(ViaAddress.class, library);
        Native.register(ViaArray.class, library);
        memory = new Memory(32);
        view = memory.getByteBuffer(0, 32).order(ByteOrder.nativeOrder());
        address = Pointer.nativeValue(memory);
        frame.set(0x564D5868, 0, 10, 0x5658, 0, 0, 0);
    }

    @Benchmark
    public int nativeFrame() {
        view.putInt(0, frame.ax()).putInt(4, frame.bx()).putInt(8, frame.cx()).putInt(12, frame.dx())
                .putInt(16, frame.si()).putInt(20, frame.di()).putInt(24, frame.bp());
        ViaAddress.vmwbd_io_lb(address);
        frame.set(view.getInt(0), view.getInt(4), view.getInt(8), view.getInt(12), view.getInt(16),
                view.getInt(20), view.getInt(24));
        return frame.ax();
    }

    @Benchmark
    public int intArray() {
        array[0] = frame.ax();
        array[1] = frame.bx();
        array[2] = frame.cx();
        array[3] = frame.dx();
        array[4] = frame.si();
        array[5] = frame.di();
        array[6] = frame.bp();
        ViaArray.vmwbd_io_lb(array);
        frame.set(array[0], array[1], array[2], array[3], array[4], array[5], array[6]);
        return frame.ax();
    }
}
