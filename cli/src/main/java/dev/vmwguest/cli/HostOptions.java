package dev.vmwguest.cli;

import picocli.CommandLine.Model.CommandSpec;

/** What a subcommand that reaches a host needs from the global options, wherever on the line they were given. */
record HostOptions(GlobalOptions global) {

    /** The options of the command line {@code command} belongs to. */
    static HostOptions of(CommandSpec command) {
        return new HostOptions(((Main) command.root().userObject()).options());
    }

    /** Whether {@code --simulate} was given, before or after the subcommand. */
    boolean simulate() {
        return global.simulate();
    }

    /** The backdoor these options ask for: a fresh simulated host, or the real one found by detection. */
    HostConnection connect() {
        return simulate() ? HostConnection.simulated() : HostConnection.real();
    }
}
