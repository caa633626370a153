package dev.vmwguest.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --simulate} and {@code --verbose}: declared once on the top command and inherited by every
 * subcommand, so that they may be written before or after it ({@code vmwguest --simulate rpc ...} or
 * {@code vmwguest rpc --simulate ...}). Every copy picocli makes sets these same fields.
 */
final class GlobalOptions {

    private boolean simulate;
    private boolean verbose;

    @Option(names = "--simulate", scope = ScopeType.INHERIT,
            description = "Use an in-process simulated VMware host instead of the real one.")
    void simulate(boolean on) {
        simulate |= on;
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    void verbose(boolean on) {
        verbose |= on;
    }

    boolean simulate() {
        return simulate;
    }

    boolean verbose() {
        return verbose;
    }
}
