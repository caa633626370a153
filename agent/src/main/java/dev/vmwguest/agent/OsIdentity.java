package dev.vmwguest.agent;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The guest OS as the host sees it: {@code SetGuestInfo} types 6 (short name), 5 (full name) and
 * 11 (detailed data).
 *
 * @param shortName    the guest OS id in the {@code .vmx} vocabulary, e.g. {@code debian12-64}
 * @param fullName     {@code uname -s}, {@code uname -r} and the distribution description
 * @param detailedData space-separated {@code name='value'} pairs, possibly empty
 */
public record OsIdentity(String shortName, String fullName, String detailedData) {

    /** HOSTINFO_STRUCT_HEADER_VERSION. */
    static final int HEADER_VERSION = 1;
    static final int SHORT_NAME_BYTES = 129;
    static final int FULL_NAME_BYTES = 513;
    /** Size of the detailed-data header: version, short name, full name, 2 bytes of struct padding. */
    public static final int HEADER_BYTES = 648;

    /**
     * Validates the lengths the type 11 header can hold.
     *
     * @param shortName    the guest OS id in the {@code .vmx} vocabulary, e.g. {@code debian12-64}
     * @param fullName     {@code uname -s}, {@code uname -r} and the distribution description
     * @param detailedData space-separated {@code name='value'} pairs, possibly empty
     * @throws IllegalArgumentException if a name does not fit its header field (128 / 512 bytes)
     */
    public OsIdentity {
        Objects.requireNonNull(detailedData, "detailedData");
        if (shortName.getBytes(StandardCharsets.UTF_8).length >= SHORT_NAME_BYTES
                || fullName.getBytes(StandardCharsets.UTF_8).length >= FULL_NAME_BYTES) {
            throw new IllegalArgumentException("OS short name must be under " + SHORT_NAME_BYTES
                    + " bytes and full name under " + FULL_NAME_BYTES + " bytes");
        }
    }

    /**
     * The {@code SetGuestInfo  11} payload: the 648-byte header (u32 LE version 1, NUL-padded short
     * name [129], full name [513], 2 zero bytes), then the detailed string and a NUL.
     *
     * @return the payload, without the preamble
     */
    public byte[] detailedPayload() {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(HEADER_VERSION);
        header.put(4, shortName.getBytes(StandardCharsets.UTF_8));
        header.put(4 + SHORT_NAME_BYTES, fullName.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_BYTES + detailedData.length() + 1);
        out.writeBytes(header.array());
        out.writeBytes(detailedData.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        return out.toByteArray();
    }
}
