package dev.vmwguest.bench;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.vsock.HostVsockStandIn;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.vsock.VsockSettings;
import dev.vmwguest.vsock.VsockTransportProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A simulated host listening on the vsock stand-in (Unix-domain sockets in a
 * temporary directory, this machine having no vsock loopback), and transport
 * selectors that reach it: over (privileged) vsock, or over the backdoor of
 * the same host.
 */
final class VsockBenchHosts implements AutoCloseable {

    final SimulatedHost host;
    final HostVsockStandIn standIn;
    private final Path directory;

    VsockBenchHosts(SimulatedHost host) {
        this.host = host;
        try {
            directory = Files.createTempDirectory("vmwguest-bench-vsock-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        standIn = host.vsock(directory.resolve("vsock"));
    }

    /** {@code "vsock"}: privileged vsock over the stand-in; {@code "backdoor"}: the host's backdoor only. */
    TransportSelector selector(String transport) {
        return switch (transport) {
            case "vsock" -> TransportSelector.over(host, TransportPolicy.defaults(),
                    List.of(VsockTransportProvider.standIn(standIn.directory(),
                            VsockSettings.defaults())));
            case "backdoor" -> TransportSelector.over(host, TransportPolicy.backdoorOnly(),
                    List.of());
            default -> throw new IllegalArgumentException("transport: vsock or backdoor, not " + transport);
        };
    }

    @Override
    public void close() {
        standIn.close();
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing a benchmark for.
        }
    }
}
