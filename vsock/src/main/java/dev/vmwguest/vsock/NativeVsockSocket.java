package dev.vmwguest.vsock;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A real AF_VSOCK socket through {@link LibC}. Reads and writes go through a
 * direct buffer of this socket's own, because JNA passes heap buffers by
 * copying and the position of a direct one by address.
 */
final class NativeVsockSocket implements VsockSocket {

    private static final int CHUNK = 64 * 1024;

    private final int fd;
    private final ByteBuffer direct = ByteBuffer.allocateDirect(CHUNK);
    private volatile boolean closed;

    private NativeVsockSocket(int fd) {
        this.fd = fd;
    }

    /** Real sockets; {@code connectTimeout} replaces the kernel's 2 s when it differs. */
    static VsockSocket.Factory factory(Duration connectTimeout) {
        return new VsockSocket.Factory() {
            @Override
            public VsockSocket open() throws ErrnoException {
                int fd = LibC.socket(SockaddrVm.AF_VSOCK, LibC.SOCK_STREAM, 0);
                if (fd < 0) {
                    throw new ErrnoException("socket(AF_VSOCK, SOCK_STREAM)", Native.getLastError());
                }
                NativeVsockSocket socket = new NativeVsockSocket(fd);
                socket.setConnectTimeout(connectTimeout);
                return socket;
            }

            @Override
            public String describe() {
                return "AF_VSOCK";
            }
        };
    }

    /** Best effort: on failure the kernel's 2 s default stays, which is what open-vm-tools relies on. */
    private void setConnectTimeout(Duration timeout) {
        if (timeout.equals(VsockSettings.KERNEL_CONNECT_TIMEOUT)) {
            return;
        }
        byte[] timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putLong(timeout.toSeconds()).putLong(timeout.toNanosPart() / 1000).array();
        if (LibC.setsockopt(fd, SockaddrVm.AF_VSOCK, LibC.SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW, timeval, 16) != 0) {
            LibC.setsockopt(fd, SockaddrVm.AF_VSOCK, LibC.SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD, timeval, 16);
        }
    }

    @Override
    public void bind(int cid, int port) throws ErrnoException {
        if (LibC.bind(fd, SockaddrVm.encode(cid, port), SockaddrVm.SIZE) != 0) {
            throw new ErrnoException("bind(port " + Integer.toUnsignedString(port) + ")", Native.getLastError());
        }
    }

    @Override
    public void connect(int cid, int port) throws ErrnoException {
        if (LibC.connect(fd, SockaddrVm.encode(cid, port), SockaddrVm.SIZE) != 0) {
            throw new ErrnoException("connect(cid " + Integer.toUnsignedString(cid) + ", port " + port + ")",
                    Native.getLastError());
        }
    }

    @Override
    public int read(ByteBuffer target, int timeoutMillis) throws ErrnoException {
        byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                .putInt(fd).putShort(LibC.POLLIN).putShort((short) 0).array();
        int ready;
        do {
            ready = LibC.poll(pollfd, 1, timeoutMillis);
        } while (ready < 0 && Native.getLastError() == VsockErrno.EINTR.number());
        if (ready < 0) {
            throw new ErrnoException("poll", Native.getLastError());
        }
        if (ready == 0) {
            return 0;
        }
        direct.clear().limit(Math.min(CHUNK, target.remaining()));
        long count;
        do {
            count = LibC.read(fd, direct, direct.remaining());
        } while (count < 0 && Native.getLastError() == VsockErrno.EINTR.number());
        if (count < 0) {
            throw new ErrnoException("read", Native.getLastError());
        }
        if (count == 0) {
            return -1;
        }
        direct.limit((int) count);
        target.put(direct);
        return (int) count;
    }

    @Override
    public void write(ByteBuffer source) throws ErrnoException {
        while (source.hasRemaining()) {
            direct.clear();
            int chunk = Math.min(CHUNK, source.remaining());
            direct.put(source.slice().limit(chunk)).flip();
            long written = LibC.write(fd, direct, chunk);
            if (written < 0) {
                if (Native.getLastError() == VsockErrno.EINTR.number()) {
                    continue;
                }
                throw new ErrnoException("write", Native.getLastError());
            }
            source.position(source.position() + (int) written);
        }
    }

    @Override
    public void shutdown() {
        if (!closed) {
            LibC.shutdown(fd, LibC.SHUT_RDWR);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
