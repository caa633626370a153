package dev.vmwguest.vsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_vm}, 16 bytes, every field in the machine's byte
 * order (transports.md section 1.1) - unlike the DataMap framing on the
 * stream, which is big-endian. Pure.
 */
final class SockaddrVm {

    /** {@code AF_VSOCK}. */
    static final int AF_VSOCK = 40;
    /** The address length the kernel insists on; a shorter one is refused. */
    static final int SIZE = 16;
    /** {@code VMADDR_CID_ANY}: bind to whatever CID this machine has. */
    static final int CID_ANY = 0xFFFF_FFFF;
    /** {@code VMADDR_PORT_ANY}: let the kernel pick a port above 1023. */
    static final int PORT_ANY = 0xFFFF_FFFF;

    private SockaddrVm() {
    }

    /** The 16 bytes for {@code cid}:{@code port} with flags and padding zero. */
    static byte[] encode(int cid, int port, ByteOrder order) {
        ByteBuffer address = ByteBuffer.allocate(SIZE).order(order);
        address.putShort((short) AF_VSOCK);   // svm_family
        address.putShort((short) 0);          // svm_reserved1
        address.putInt(port);                 // svm_port
        address.putInt(cid);                  // svm_cid
        return address.array();               // svm_flags and svm_zero stay 0: other flags are EINVAL
    }

    /** As {@link #encode(int, int, ByteOrder)} in this machine's order. */
    static byte[] encode(int cid, int port) {
        return encode(cid, port, ByteOrder.nativeOrder());
    }
}
