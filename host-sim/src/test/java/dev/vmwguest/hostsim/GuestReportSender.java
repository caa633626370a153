package dev.vmwguest.hostsim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Sends raw guest reports to a host over one RPCI channel, as a guest would; test support. */
final class GuestReportSender {

    private final RawGuest guest;

    GuestReportSender(SimulatedHost host) {
        this.guest = RawGuest.opened(host, RawGuest.RPCI | RawGuest.COOKIE);
    }

    /** Sends exactly {@code message}; returns the reply as text. */
    String send(byte[] message) {
        if ((guest.send(message, false) & RawGuest.SUCCESS) == 0) {
            throw new AssertionError("send failed");
        }
        return new String(guest.receive(false), StandardCharsets.ISO_8859_1);
    }

    /** {@code SetGuestInfo  <type> } followed by {@code payload}. */
    String setGuestInfo(int type, byte[] payload) {
        return send(concat(("SetGuestInfo  " + type + " ").getBytes(StandardCharsets.US_ASCII), payload));
    }

    /** A text request as vmtoolsd sends it, with its trailing NUL. */
    String text(String request) {
        return send((request + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes from a hex dump: offsets (a 4-digit hex number followed by two spaces) and white space are ignored. */
    static byte[] hex(String dump) {
        String digits = dump.replaceAll("(?m)^[0-9a-fA-F]{4}  ", "").replaceAll("\\s+", "");
        return HexFormat.of().parseHex(digits);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
