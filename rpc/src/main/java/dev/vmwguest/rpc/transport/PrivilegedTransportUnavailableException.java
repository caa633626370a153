package dev.vmwguest.rpc.transport;

/**
 * Secure RPC was required ({@link TransportPolicy#privilegedOnly()}) but no
 * privileged vsock connection could be made, so nothing was sent: the host
 * would answer {@code 0 Permission denied} on any other transport
 * (open-vm-tools refuses locally in the same case, transports.md section 1.8).
 *
 * <p>The usual cause is a process without root or an ambient
 * {@code CAP_NET_BIND_SERVICE} (for example systemd
 * {@code AmbientCapabilities=CAP_NET_BIND_SERVICE}); the message says which
 * refusal it was.
 */
public final class PrivilegedTransportUnavailableException extends TransportUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception for {@code selection}, which found no privileged transport.
     *
     * @param selection the selection that found no privileged transport
     */
    public PrivilegedTransportUnavailableException(TransportSelection selection) {
        super("secure RPC needs a privileged vsock connection (source port below 1024), and none could be made;"
                + " nothing was sent: " + describe(selection), selection);
    }
}
