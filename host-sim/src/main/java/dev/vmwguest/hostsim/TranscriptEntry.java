package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.RegisterFrame;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One backdoor call as the host saw it: the registers before and after, and
 * for high-bandwidth transfers the bytes moved. Immutable; accessors return
 * copies.
 */
public final class TranscriptEntry {

    /** Which instruction the guest executed. */
    public enum Kind {
        /** {@code in eax, dx} on the low-bandwidth port. */
        LOW_BANDWIDTH,
        /** {@code rep outsb} to the high-bandwidth port (guest to host). */
        HIGH_BANDWIDTH_OUT,
        /** {@code rep insb} from the high-bandwidth port (host to guest). */
        HIGH_BANDWIDTH_IN
    }

    private final long sequence;
    private final Kind kind;
    private final RegisterFrame in;
    private final RegisterFrame out;
    private final byte[] payload;
    private final String note;

    TranscriptEntry(long sequence, Kind kind, RegisterFrame in, RegisterFrame out, byte[] payload, String note) {
        this.sequence = sequence;
        this.kind = kind;
        this.in = new RegisterFrame().copyFrom(in);
        this.out = new RegisterFrame().copyFrom(out);
        this.payload = payload.clone();
        this.note = note;
    }

    /**
     * Position in the host's call order, from 0 (per host, across threads).
     *
     * @return the position in the host's call order, from 0
     */
    public long sequence() {
        return sequence;
    }

    /**
     * The instruction.
     *
     * @return the instruction
     */
    public Kind kind() {
        return kind;
    }

    /**
     * A copy of the registers as the guest passed them (for HB, with the count in {@code cx}).
     *
     * @return a copy of the registers as the guest passed them (for HB, with the count in {@code cx})
     */
    public RegisterFrame in() {
        return new RegisterFrame().copyFrom(in);
    }

    /**
     * A copy of the registers as the host left them.
     *
     * @return a copy of the registers as the host left them
     */
    public RegisterFrame out() {
        return new RegisterFrame().copyFrom(out);
    }

    /**
     * The bytes moved by a high-bandwidth transfer (empty for low-bandwidth calls and failed transfers).
     *
     * @return the bytes moved by a high-bandwidth transfer (empty for low-bandwidth calls and failed transfers)
     */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The host's reading of the call, e.g. {@code MESSAGE SEND_SIZE ch=3 -> status 0x0081}.
     *
     * @return the host's reading of the call
     */
    public String note() {
        return note;
    }

    /** One line: sequence, kind, registers in and out, note, and up to 64 payload bytes in hex. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(160)
                .append('#').append(sequence).append(' ').append(kind).append(' ').append(note)
                .append("\n    in  ").append(in).append("\n    out ").append(out);
        if (payload.length > 0) {
            line.append("\n    payload ").append(payload.length).append(" bytes: ")
                    .append(HexFormat.ofDelimiter(" ").formatHex(Arrays.copyOf(payload, Math.min(64, payload.length))))
                    .append(payload.length > 64 ? " ..." : "");
        }
        return line.toString();
    }
}
