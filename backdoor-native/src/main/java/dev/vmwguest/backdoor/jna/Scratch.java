package dev.vmwguest.backdoor.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One thread's native memory for backdoor calls: the register frame the stub
 * reads and writes, and a copy area for heap buffers.
 *
 * <p>Why per thread: {@link NativeBackdoor} is shared and thread-safe, and the
 * hot path must not allocate. The frame is read and written through a
 * {@link ByteBuffer} view made once: each {@code Memory.getInt} would be a JNI
 * call of its own ({@code shared/ffi-baseline.md}). The copy area grows to the
 * largest heap buffer a thread has passed and is kept.
 */
final class Scratch {

    /** Eight {@code int32}: ax, bx, cx, dx, si, di, bp, then the probe's detail. */
    static final int FRAME_BYTES = 32;

    private static final int AX = 0;
    private static final int BX = 4;
    private static final int CX = 8;
    private static final int DX = 12;
    private static final int SI = 16;
    private static final int DI = 20;
    private static final int BP = 24;
    private static final int DETAIL = 28;

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private final Memory frameMemory = new Memory(FRAME_BYTES);
    private final ByteBuffer registers = frameMemory.getByteBuffer(0, FRAME_BYTES).order(ByteOrder.nativeOrder());
    /** The frame's address, passed to every stub function. */
    final long frame = Pointer.nativeValue(frameMemory);

    private Memory copyMemory = new Memory(256);
    private ByteBuffer copy = copyMemory.getByteBuffer(0, copyMemory.size());

    private Scratch() {
        frameMemory.clear();
    }

    /** This thread's scratch memory. */
    static Scratch get() {
        return PER_THREAD.get();
    }

    /** Copies all seven registers into the native frame. */
    void load(RegisterFrame source) {
        registers.putInt(AX, source.ax()).putInt(BX, source.bx()).putInt(CX, source.cx()).putInt(DX, source.dx())
                .putInt(SI, source.si()).putInt(DI, source.di()).putInt(BP, source.bp()).putInt(DETAIL, 0);
    }

    /** Copies all seven registers back; the stub leaves bp as loaded on low-bandwidth calls. */
    void store(RegisterFrame target) {
        target.set(registers.getInt(AX), registers.getInt(BX), registers.getInt(CX), registers.getInt(DX),
                registers.getInt(SI), registers.getInt(DI), registers.getInt(BP));
    }

    /** The probe's detail slot: a signal number, exit status or errno. */
    int detail() {
        return registers.getInt(DETAIL);
    }

    /**
     * A direct buffer of at least {@code size} bytes at offset 0, for copying a
     * heap buffer through; grows (allocates) only when a larger one is needed.
     */
    ByteBuffer copyArea(int size) {
        if (size > copy.capacity()) {
            long grown = Math.max(size, Math.min(Integer.MAX_VALUE, 2L * copy.capacity()));
            copyMemory = new Memory(grown);
            copy = copyMemory.getByteBuffer(0, grown);
        }
        return copy;
    }
}
