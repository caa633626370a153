package dev.vmwguest.hostsim.vsock;

import java.util.Optional;

/**
 * What one guest connection to a {@link HostVsockStandIn} did, at one moment.
 *
 * @param id               the connection's number, from 1 in accept order
 * @param port             the vsock port the guest connected to: 976 (RPCI) or 975 (TCLO)
 * @param privileged       whether it came through {@code <port>-privileged.sock}, i.e. its vsock
 *                         source port would be below 1024
 * @param packetsFromGuest DataMap packets received, heartbeats included
 * @param packetsToGuest   DataMap packets sent: RPCI replies, TCLO commands
 * @param bytesFromGuest   stream bytes received (length words included)
 * @param bytesToGuest     stream bytes sent
 * @param heartbeats       PING packets received (TCLO)
 * @param silences         times the guest sent nothing for {@link VsockOptions#missedHeartbeats()}
 *                         heartbeat intervals after its first TCLO reply
 * @param open             whether the connection is still open
 * @param closeReason      why it closed, once it has: {@code "guest closed"}, {@code "fast close"},
 *                         {@code "malformed packet: ..."}, {@code "host closed"}, ...
 */
public record VsockConnectionStats(int id, int port, boolean privileged, long packetsFromGuest, long packetsToGuest,
        long bytesFromGuest, long bytesToGuest, long heartbeats, long silences, boolean open,
        Optional<String> closeReason) {
}
