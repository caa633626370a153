package dev.vmwguest.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code rpc} command without picocli: {@code vmwguest rpc "info-get guestinfo.x"} is the
 * drop-in for {@code vmware-rpctool} that scripts call in loops, and building picocli's model of
 * the command line (annotations read by reflection, one dynamic proxy per annotation) took most of
 * the JVM's start-up. Only the plain form takes this path: the word {@code rpc}, the command's
 * words, and {@code --simulate} or {@code --verbose} anywhere; anything else that starts with
 * {@code -} ({@code --help}, {@code --}, an unknown option) goes to picocli, which also reports
 * usage errors.
 */
final class FastRpc {

    private FastRpc() {
    }

    /** The parsed plain form. */
    record Line(List<String> words, boolean simulate, boolean verbose) {
    }

    /** The plain {@code rpc} form of {@code args}, or empty when picocli must decide. */
    static Optional<Line> parse(String[] args) {
        boolean simulate = false;
        boolean verbose = false;
        boolean seenRpc = false;
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            if ("--simulate".equals(arg)) {
                simulate = true;
            } else if ("--verbose".equals(arg)) {
                verbose = true;
            } else if (arg.startsWith("-")) {
                return Optional.empty();
            } else if (!seenRpc) {
                if (!"rpc".equals(arg)) {
                    return Optional.empty();
                }
                seenRpc = true;
            } else {
                words.add(arg);
            }
        }
        return seenRpc && !words.isEmpty() ? Optional.of(new Line(words, simulate, verbose)) : Optional.empty();
    }

    /** Runs the plain form; errors are reported as picocli's handler would report them. */
    static int run(Line line, PrintWriter err) {
        try {
            return RpcCommand.run(line.words(), line.simulate());
        } catch (RuntimeException failure) {
            return OneLineErrors.report(failure, line.verbose(), err);
        }
    }
}
