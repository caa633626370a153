package dev.vmwguest.hostsim.vsock;

import java.io.IOException;

/**
 * A DataMap packet (shared/protocol/transports.md section 1.3) that cannot be
 * decoded. The stand-in closes the connection that sent it and records
 * {@link #getMessage()} as the reason.
 */
final class DataMapException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What was wrong with the bytes. */
    enum Problem {
        /** The stream or the body ended before a length said it would. */
        TRUNCATED,
        /** The announced body length is above the cap: refused before allocating. */
        OVERSIZE,
        /** An entry type other than 1..4 (the reference decoder's unknown-type error). */
        BAD_TYPE,
        /** A fieldId seen twice (the reference decoder refuses it). */
        DUPLICATE_FIELD,
        /** A negative or zero STRING length, or a negative list count. */
        BAD_LENGTH,
        /** Decodable as a DataMap, but a GuestRPC field has the wrong type. */
        BAD_FIELD
    }

    private final Problem problem;

    DataMapException(Problem problem, String message) {
        super(problem + ": " + message);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
