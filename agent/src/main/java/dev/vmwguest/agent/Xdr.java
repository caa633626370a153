package dev.vmwguest.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A growing XDR (RFC 4506) stream: big-endian 4-byte items, strings and opaques padded to 4 bytes. */
final class Xdr {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    Xdr u32(long value) {
        out.write((int) (value >>> 24));
        out.write((int) (value >>> 16));
        out.write((int) (value >>> 8));
        out.write((int) value);
        return this;
    }

    Xdr bool(boolean value) {
        return u32(value ? 1 : 0);
    }

    Xdr opaque(byte[] bytes) {
        u32(bytes.length);
        out.writeBytes(bytes);
        for (int pad = (4 - bytes.length % 4) % 4; pad > 0; pad--) {
            out.write(0);
        }
        return this;
    }

    Xdr string(String text) {
        return opaque(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A fixed {@code char[length]} array as rpcgen encodes it: one 4-byte item per character, NUL-padded. */
    Xdr fixedChars(String text, int length) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            u32(i < bytes.length ? bytes[i] & 0xFF : 0);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
