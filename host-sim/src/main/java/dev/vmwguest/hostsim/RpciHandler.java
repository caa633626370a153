package dev.vmwguest.hostsim;

/**
 * A host-side RPCI command added by a test or user, e.g.
 * {@code host.rpci().handle("my.cmd", args -> RpciResult.ok("text"))}.
 *
 * <p>Runs on the guest's thread, inside the backdoor call that completes the
 * request, or on the {@link dev.vmwguest.hostsim.vsock.HostVsockStandIn}'s
 * thread for the connection. Pitfall: it must not call
 * {@link SimulatedHost#resetHost()} or block for long; throwing is answered
 * as {@code 0 } + the exception's message rather than propagated into the
 * guest's code path.
 */
@FunctionalInterface
public interface RpciHandler {

    /**
     * Answers one request.
     *
     * @param args the request bytes after the command name and its separating space (empty when
     *             there are none); for text commands the request ended at its first NUL
     * @return the reply to send, or a malformed one for fault tests
     */
    RpciResult handle(byte[] args);
}
