package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.BAD_VALUE;

import java.util.HexFormat;

/** Addresses in the text form vSphere shows: dotted IPv4, RFC 5952 IPv6 (longest zero run compressed). */
final class IpText {

    /** {@code InetAddressType} values with a fixed length (guest-info.md section 2.2). */
    private static final int IAT_IPV4 = 1;
    private static final int IAT_IPV6 = 2;

    record Typed(int type, String text) {
    }

    private IpText() {
    }

    /** A {@code TypedIpAddress}: IPv4 must be 4 bytes and IPv6 16; other types are shown in hex. */
    static Typed typed(int type, byte[] bytes, int offset, String field) {
        if (type == IAT_IPV4 && bytes.length != 4 || type == IAT_IPV6 && bytes.length != 16) {
            throw new GuestInfoDecodeException(BAD_VALUE, offset, field + " of type " + type + " has "
                    + bytes.length + " bytes");
        }
        String text = bytes.length == 4 && type == IAT_IPV4 ? ipv4(bytes, 0)
                : bytes.length == 16 && type == IAT_IPV6 ? ipv6(bytes) : HexFormat.of().formatHex(bytes);
        return new Typed(type, text);
    }

    static String ipv4(byte[] b, int at) {
        return (b[at] & 0xFF) + "." + (b[at + 1] & 0xFF) + "." + (b[at + 2] & 0xFF) + "." + (b[at + 3] & 0xFF);
    }

    static String ipv6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xFF) << 8 | b[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** A V2 {@code subnetMask}: a decimal prefix length, or an IPv4 mask in hex ({@code 0xffffff00}). */
    static int prefixOfMask(String mask, int offset) {
        try {
            if (mask.startsWith("0x") || mask.startsWith("0X")) {
                long bits = Long.parseLong(mask.substring(2), 16);
                int prefix = Long.bitCount(bits);
                if (bits > 0xFFFF_FFFFL || bits != (0xFFFF_FFFFL << (32 - prefix) & 0xFFFF_FFFFL)) {
                    throw new NumberFormatException("not a contiguous mask");
                }
                return prefix;
            }
            int prefix = Integer.parseInt(mask);
            if (prefix < 0 || prefix > 128) {
                throw new NumberFormatException("out of range");
            }
            return prefix;
        } catch (NumberFormatException e) {
            throw new GuestInfoDecodeException(BAD_VALUE, offset, "subnetMask '" + mask
                    + "' is neither a prefix length nor a hex mask");
        }
    }
}
