package dev.vmwguest.vsock;

import java.util.HexFormat;

/** Byte strings written as the fact sheet writes them: hex, spaces ignored. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
