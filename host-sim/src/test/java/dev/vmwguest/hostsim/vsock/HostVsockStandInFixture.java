package dev.vmwguest.hostsim.vsock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.hostsim.SimulatedHost;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A simulated host whose vsock stand-in a test starts, closed after each test with no thread left behind. */
abstract class HostVsockStandInFixture {

    @TempDir
    Path dir;

    final SimulatedHost host = SimulatedHost.create();
    HostVsockStandIn standIn;

    HostVsockStandIn start(VsockOptions options) {
        standIn = host.vsock(dir, options);
        return standIn;
    }

    HostVsockStandIn start() {
        return start(VsockOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (standIn != null) {
            standIn.close();
            assertThat(standIn.liveThreads()).isZero();
        }
    }
}
