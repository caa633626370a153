package dev.vmwguest.vsock;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * JNA direct mapping of the libc socket calls that AF_VSOCK needs and the JDK
 * lacks. Signatures use only primitives, {@code byte[]} (addresses and
 * {@code struct pollfd}, copied by JNA) and direct {@link ByteBuffer}s
 * (passed at their position). {@code ssize_t}/{@code size_t} are {@code long}:
 * Linux on 64-bit only, checked at load. After a call returns -1, the errno is
 * {@link Native#getLastError()} (JNA saves it for every direct call).
 *
 * <p>Loading this class binds libc and executes nothing.
 */
final class LibC {

    static final int SOCK_STREAM = 1;
    static final int SHUT_RDWR = 2;
    static final short POLLIN = 0x001;
    /** {@code SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW} (64-bit time), then the old number for older kernels. */
    static final int SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW = 8;
    static final int SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD = 6;

    private static final @Nullable Throwable LOAD_FAILURE = register();

    private LibC() {
    }

    /** Why libc could not be bound for vsock here, if it could not. */
    static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(LOAD_FAILURE);
    }

    private static @Nullable Throwable register() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return new UnsupportedOperationException("AF_VSOCK through libc needs 64-bit Linux; this is "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        try {
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return e;
        }
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, byte[] address, int length);

    static native int connect(int fd, byte[] address, int length);

    static native int setsockopt(int fd, int level, int name, byte[] value, int length);

    static native int poll(byte[] fds, long count, int timeoutMillis);

    static native long read(int fd, ByteBuffer buffer, long count);

    static native long write(int fd, ByteBuffer buffer, long count);

    static native int shutdown(int fd, int how);

    static native int close(int fd);
}
