package dev.vmwguest.cli;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.hostsim.SimulatedHost;
import java.util.Optional;

/**
 * The backdoor a command talks through and, with {@code --simulate}, the
 * simulated host behind it (so a command can also show the host's side).
 */
record HostConnection(Backdoor backdoor, Optional<SimulatedHost> simulator) {

    static HostConnection real() {
        return new HostConnection(Backdoors.open(), Optional.empty());
    }

    static HostConnection simulated() {
        SimulatedHost host = SimulatedHost.create();
        return new HostConnection(host, Optional.of(host));
    }
}
