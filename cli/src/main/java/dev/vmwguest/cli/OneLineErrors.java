package dev.vmwguest.cli;

import dev.vmwguest.backdoor.BackdoorUnavailableException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an exception into one readable line, or a stack trace under {@code --verbose}. */
final class OneLineErrors implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        boolean verbose = false;
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            verbose |= level.hasMatchedOption("--verbose");   // the option sits on the leaf: guestinfo set --verbose
        }
        return report(failure, verbose, command.getErr());
    }

    /** Prints {@code failure} as one line, or its stack trace when {@code verbose}; returns its exit code. */
    static int report(Throwable failure, boolean verbose, java.io.PrintWriter err) {
        if (verbose) {
            failure.printStackTrace(err);
        } else {
            err.println("vmwguest: " + describe(failure));
        }
        err.flush();
        return exitCode(failure);
    }

    static int exitCode(Throwable failure) {
        if (failure instanceof BackdoorUnavailableException) {
            return ExitCodes.NO_BACKDOOR;
        }
        if (failure instanceof IllegalArgumentException || failure instanceof CommandLine.ParameterException
                || failure instanceof LocalProblemException || failure instanceof UncheckedIOException) {
            // Found on this side: bad arguments, unreadable or oversized input, a local file that cannot be written.
            return ExitCodes.USAGE;
        }
        if (failure instanceof UnsupportedOperationException) {
            return ExitCodes.NO_BACKDOOR;
        }
        // RpcException and anything unexpected: the conversation with the host failed.
        return ExitCodes.CHANNEL_FAILED;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
