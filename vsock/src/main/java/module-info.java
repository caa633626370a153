/**
 * GuestRPC over AF_VSOCK: RPCI on port 976 (from a privileged source port
 * when the process may bind one, which makes "secure" RPC possible) and TCLO
 * on port 975, which the host pushes. Plugged into
 * {@link dev.vmwguest.rpc.transport.TransportSelector} as a
 * {@link dev.vmwguest.rpc.transport.TransportProvider}; clients never name
 * this module.
 *
 * <p>The JDK has no AF_VSOCK, so the socket calls go through JNA direct
 * mapping of libc; that is the only native code here, and it holds no
 * protocol logic. For tests, a stand-in carries the same byte stream over
 * Unix-domain sockets
 * ({@link dev.vmwguest.vsock.VsockTransportProvider#standIn(java.nio.file.Path, dev.vmwguest.vsock.VsockSettings)},
 * or {@code -Dvmwguest.vsock.standin=<directory>}); the stand-in and the errno
 * names stay inside the module. Linux only; elsewhere the
 * provider reports vsock as unavailable.
 */
@org.jspecify.annotations.NullMarked
module dev.vmwguest.vsock {
    requires transitive dev.vmwguest.rpc;
    requires com.sun.jna;
    requires static org.jspecify;

    exports dev.vmwguest.vsock;

    provides dev.vmwguest.rpc.transport.TransportProvider with dev.vmwguest.vsock.VsockTransportProvider;
}
