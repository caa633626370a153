package dev.vmwguest.agent;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One network interface as the host sees it: its MAC and its addresses.
 *
 * @param name       the guest's interface name (not sent to the host; used for exclusion and routes)
 * @param macAddress lower-case {@code aa:bb:cc:dd:ee:ff}
 * @param addresses  the addresses in report order
 */
public record GuestNic(String name, String macAddress, List<NicAddress> addresses) {

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    /**
     * Validates and normalises the MAC to lower case.
     *
     * @param name       the guest's interface name (not sent to the host; used for exclusion and routes)
     * @param macAddress lower-case {@code aa:bb:cc:dd:ee:ff}
     * @param addresses  the addresses in report order
     * @throws IllegalArgumentException if the MAC is not six colon-separated hex bytes
     */
    public GuestNic {
        Objects.requireNonNull(name, "name");
        macAddress = macAddress.toLowerCase(Locale.ROOT);
        if (!MAC.matcher(macAddress).matches()) {
            throw new IllegalArgumentException("MAC address '" + macAddress + "' is not aa:bb:cc:dd:ee:ff");
        }
        addresses = List.copyOf(addresses);
    }

    /**
     * Formats a hardware address the way vmtoolsd does: its first six bytes, lower-case hex, colons.
     *
     * @param hardware a link-layer address of at least 6 bytes
     * @return the formatted MAC
     * @throws IllegalArgumentException if {@code hardware} is shorter than 6 bytes
     */
    public static String formatMac(byte[] hardware) {
        if (hardware.length < 6) {
            throw new IllegalArgumentException("hardware address of " + hardware.length + " bytes, need 6");
        }
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(String.format(Locale.ROOT, "%02x", hardware[i] & 0xFF));
        }
        return text.toString();
    }
}
