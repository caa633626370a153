package dev.vmwguest.hostsim;

import java.util.Objects;

/**
 * A guest report the simulated host accepted but could not decode: the host
 * answered it as a host that accepts everything does, kept the previous value
 * of the fact in its {@link GuestView}, and recorded this instead.
 *
 * @param report  the report, e.g. {@code "SetGuestInfo  10"} or {@code "SetGuestDiskInfo"}
 * @param kind    what was wrong
 * @param offset  the byte offset in the report's payload (after the {@code SetGuestInfo  <type> }
 *                preamble; for {@code SetGuestDiskInfo} the character position in the JSON text)
 *                where decoding stopped, or -1 when no single offset applies
 * @param message a readable description
 */
public record GuestInfoDecodeError(String report, Kind kind, int offset, String message) {

    /** What was wrong with a payload. */
    public enum Kind {
        /** The payload ended before a field it announced. */
        TRUNCATED,
        /** A count or length beyond the format's maximum (e.g. more than 16 NICs). */
        LIMIT_EXCEEDED,
        /** A field with a value the format does not allow (a bool of 2, an unknown union arm). */
        BAD_VALUE,
        /** Bytes after the end of the structure. */
        TRAILING_BYTES,
        /** Text that does not parse (JSON, a decimal, a {@code name='value'} list). */
        MALFORMED_TEXT,
        /** A {@code SetGuestInfo} type this host does not decode. */
        UNKNOWN_TYPE
    }

    /**
     * Validates.
     *
     * @param report  the report, e.g. {@code "SetGuestInfo  10"}
     * @param kind    what was wrong
     * @param offset  where in the payload decoding stopped, or -1 when no single offset applies
     * @param message a readable description
     * @throws NullPointerException if {@code report}, {@code kind} or {@code message} is null
     */
    public GuestInfoDecodeError {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return report + ": " + kind + (offset >= 0 ? " at offset " + offset : "") + ": " + message;
    }
}
