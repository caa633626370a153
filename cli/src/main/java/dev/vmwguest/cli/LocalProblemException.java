package dev.vmwguest.cli;

/**
 * A problem on this side, found before anything was sent to the host: input that cannot be read or
 * is too big, a request over the protocol's size limit. Exits {@value ExitCodes#USAGE}.
 */
final class LocalProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LocalProblemException(String message) {
        super(message);
    }

    LocalProblemException(String message, Throwable cause) {
        super(message, cause);
    }
}
