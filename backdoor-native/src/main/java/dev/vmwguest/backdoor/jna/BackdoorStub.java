package dev.vmwguest.backdoor.jna;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * JNA direct mapping of {@code src/main/c/vmwbackdoor.c} (contract in
 * {@code vmwbackdoor.h}).
 *
 * <p>Frames are passed as the address of a reused native block of
 * {@link Scratch#FRAME_BYTES} (eight {@code int32}: ax, bx, cx, dx, si, di, bp,
 * probe detail), not as an {@code int[]}: JNA copies an array into freshly
 * malloc'ed memory and back on every call, which measured about 50 % slower
 * ({@code shared/ffi-baseline.md}). Buffers are passed as direct
 * {@link ByteBuffer}s only: JNA's direct mapping passes the address of the
 * buffer's position (JNA 5.19; {@code StubRoundTripTest} pins this, as
 * {@code Native.getDirectBufferPointer} would give the base instead). The C side
 * supplies ax, the low half of dx, the count register and the buffer register.
 *
 * <p>For the bench module: the {@code int[]} alternative is one more
 * {@code static native void ioLb(int[] frame)}-style declaration against the
 * same C function (JNA copies the array in and out); nothing else here needs
 * to change to measure it against the reused native frame.
 *
 * <p>Loading this class loads the library (from {@code linux-x86-64/},
 * {@code linux-aarch64/} or {@code win32-x86-64/} in this jar) but executes
 * nothing. Calling a trapping method on a machine that is not VMware faults and
 * kills the JVM: only {@link NativeBackdoorProvider} decides when they may run.
 */
final class BackdoorStub {

    /**
     * For this module's own tests: the library to bind instead of
     * {@value #LIBRARY} ({@code vmwbackdoor-test}, whose trapping instructions
     * are replaced by register transformations).
     */
    static final String LIBRARY_PROPERTY = "vmwguest.backdoor.jna.stub";

    /** The library name; JNA maps it to {@code libvmwbackdoor.so} or {@code vmwbackdoor.dll}. */
    static final String LIBRARY = "vmwbackdoor";

    /** Java names in camel case, C names prefixed and in snake case: {@code ioHbOut} is {@code vmwbd_io_hb_out}. */
    private static final FunctionMapper C_NAMES = (library, method) ->
            "vmwbd_" + method.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);

    private static final String LIBRARY_NAME = System.getProperty(LIBRARY_PROPERTY, LIBRARY);
    private static final @Nullable Throwable LOAD_FAILURE = register();

    private BackdoorStub() {
    }

    /** Why the library could not be bound, if it could not. */
    static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(LOAD_FAILURE);
    }

    /** The name of the bound library ({@value #LIBRARY} outside this module's tests). */
    static String libraryName() {
        return LIBRARY_NAME;
    }

    private static @Nullable Throwable register() {
        try {
            Map<String, Object> options = Map.of(
                    Library.OPTION_FUNCTION_MAPPER, C_NAMES,
                    Library.OPTION_CLASSLOADER, BackdoorStub.class.getClassLoader());
            Native.register(BackdoorStub.class, NativeLibrary.getInstance(LIBRARY_NAME, options));
            return null;
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError: no stub for this platform in the jar, or it could not be extracted.
            return e;
        }
    }

    /** CPUID; never faults on x86, writes zeros elsewhere. {@code out}: 16 bytes, eax ebx ecx edx. */
    static native void cpuid(int leaf, int subleaf, long out);

    /** {@code in eax, dx}, port 0x5658. Faults where no VMware host intercepts it. */
    static native void ioLb(long frame);

    /** {@code cld; rep outsb}, port 0x5659, {@code count} bytes from {@code buffer}'s position. */
    static native void ioHbOut(long frame, ByteBuffer buffer, int count);

    /** {@code cld; rep insb}, port 0x5659, {@code count} bytes to {@code buffer}'s position. */
    static native void ioHbIn(long frame, ByteBuffer buffer, int count);

    /** {@code vmcall}, dx low half 0 (low bandwidth). */
    static native void vmcallLb(long frame);

    /** {@code vmcall}, dx low half 3 (high bandwidth, guest to host). */
    static native void vmcallHbOut(long frame, ByteBuffer buffer, int count);

    /** {@code vmcall}, dx low half 1 (high bandwidth, host to guest). */
    static native void vmcallHbIn(long frame, ByteBuffer buffer, int count);

    /** {@code vmmcall}, dx low half 0 (low bandwidth). */
    static native void vmmcallLb(long frame);

    /** {@code vmmcall}, dx low half 3 (high bandwidth, guest to host). */
    static native void vmmcallHbOut(long frame, ByteBuffer buffer, int count);

    /** {@code vmmcall}, dx low half 1 (high bandwidth, host to guest). */
    static native void vmmcallHbIn(long frame, ByteBuffer buffer, int count);

    /**
     * One low-bandwidth call in a forked child process (Linux), so that a fault
     * kills the child, not the JVM. Returns a {@link ProbeOutcome} code; the
     * detail (signal, status, errno) is left in the frame's eighth slot.
     */
    static native int probe(long frame, int mechanism, int timeoutMillis);
}
