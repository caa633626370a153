package dev.vmwguest.hostsim.vsock;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link HostVsockStandIn} judges its guests.
 *
 * @param heartbeatInterval the interval at which a TCLO guest is expected to send PING packets
 *                          after its first reply: 1 s in open-vm-tools ({@code RPCIN_HEARTBEAT_INTERVAL},
 *                          transports.md section 1.5); shorter in tests of a guest of your own
 * @param missedHeartbeats  how many intervals without any packet make the guest count as silent
 *                          ({@link VsockConnectionStats#silences()}); the host does not close the
 *                          connection for it, as a real host only marks the tools as not running
 * @param maxPacketBody     the largest packet body accepted from a guest, in bytes; a larger announced
 *                          length closes the connection before anything is allocated (transports.md
 *                          section 1.3 suggests 1 MiB)
 */
public record VsockOptions(Duration heartbeatInterval, int missedHeartbeats, int maxPacketBody) {

    /**
     * Validates.
     *
     * @param heartbeatInterval the interval at which a TCLO guest is expected to send PING packets
     * @param missedHeartbeats how many intervals without any packet make the guest count as silent
     * @param maxPacketBody the largest packet body accepted from a guest, in bytes
     */
    public VsockOptions {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive: " + heartbeatInterval);
        }
        if (missedHeartbeats < 1) {
            throw new IllegalArgumentException("missedHeartbeats must be at least 1, was " + missedHeartbeats);
        }
        if (maxPacketBody < 0) {
            throw new IllegalArgumentException("maxPacketBody must not be negative, was " + maxPacketBody);
        }
    }

    /**
     * 1 s heartbeats, silent after 3 missed, 1 MiB packets.
     *
     * @return the default options
     */
    public static VsockOptions defaults() {
        return new VsockOptions(Duration.ofSeconds(1), 3, DataMap.DEFAULT_MAX_BODY);
    }

    /**
     * A copy with this expected heartbeat interval.
     *
     * @param interval the expected heartbeat interval
     * @return a copy with this expected heartbeat interval
     */
    public VsockOptions withHeartbeatInterval(Duration interval) {
        return new VsockOptions(interval, missedHeartbeats, maxPacketBody);
    }

    /**
     * A copy that counts a guest as silent after this many missed heartbeats.
     *
     * @param missed how many missed heartbeats make a guest silent
     * @return a copy that counts a guest as silent after this many missed heartbeats
     */
    public VsockOptions withMissedHeartbeats(int missed) {
        return new VsockOptions(heartbeatInterval, missed, maxPacketBody);
    }

    /**
     * A copy with this packet body cap.
     *
     * @param bytes the largest packet body accepted, in bytes
     * @return a copy with this packet body cap
     */
    public VsockOptions withMaxPacketBody(int bytes) {
        return new VsockOptions(heartbeatInterval, missedHeartbeats, bytes);
    }

    Duration silenceLimit() {
        return heartbeatInterval.multipliedBy(missedHeartbeats);
    }
}
