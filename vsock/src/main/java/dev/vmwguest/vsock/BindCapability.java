package dev.vmwguest.vsock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process holds {@code CAP_NET_BIND_SERVICE} (bit 10 of
 * {@code CapEff} in {@code /proc/self/status}): used only to explain a refused
 * privileged bind and to predict one without binding (transports.md 1.8).
 * The kernel's answer to {@code bind()} is what counts.
 */
final class BindCapability {

    static final int CAP_NET_BIND_SERVICE = 10;

    private BindCapability() {
    }

    /** Whether the effective set has the capability; empty when it cannot be read (not Linux). */
    static Optional<Boolean> ofThisProcess() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Reads the {@code CapEff:} line of a {@code /proc/PID/status} text. Pure. */
    static Optional<Boolean> parse(List<String> status) {
        for (String line : status) {
            if (line.startsWith("CapEff:")) {
                try {
                    long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return Optional.of((effective & 1L << CAP_NET_BIND_SERVICE) != 0);
                } catch (NumberFormatException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The advice for a refused privileged bind. */
    static String advice() {
        return "run as root or grant CAP_NET_BIND_SERVICE as an ambient capability (systemd AmbientCapabilities="
                + "CAP_NET_BIND_SERVICE, or setpriv --ambient-caps=+net_bind_service); a capability inside a user "
                + "namespace does not count";
    }
}
