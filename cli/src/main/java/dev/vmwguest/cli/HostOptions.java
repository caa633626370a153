package dev.vmwguest.cli;

import picocli.CommandLine.Option;

/** Options every subcommand that reaches a host takes. */
final class HostOptions {

    @Option(names = "--simulate", description = "Use an in-process simulated VMware host instead of the real one.")
    boolean simulate;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    /** The backdoor these options ask for: a fresh simulated host, or the real one found by detection. */
    HostConnection connect() {
        return simulate ? HostConnection.simulated() : HostConnection.real();
    }
}
