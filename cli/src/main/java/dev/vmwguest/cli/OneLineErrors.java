package dev.vmwguest.cli;

import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.rpc.RpcException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an exception into one readable line, or a stack trace under {@code --verbose}. */
final class OneLineErrors implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                || parsed.hasMatchedOption("--verbose");
        if (verbose) {
            failure.printStackTrace(command.getErr());
        } else {
            command.getErr().println("vmwguest: " + describe(failure));
        }
        command.getErr().flush();
        return exitCode(failure);
    }

    static int exitCode(Throwable failure) {
        if (failure instanceof BackdoorUnavailableException) {
            return ExitCodes.NO_BACKDOOR;
        }
        if (failure instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (failure instanceof RpcException) {
            return ExitCodes.CHANNEL_FAILED;
        }
        return ExitCodes.CHANNEL_FAILED;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
