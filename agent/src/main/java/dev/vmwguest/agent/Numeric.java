package dev.vmwguest.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses numeric IP addresses only, never a host name (so no DNS lookup can happen). */
final class Numeric {

    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Numeric() {
    }

    static @Nullable InetAddress address(String text) {
        boolean v6 = text.indexOf(':') >= 0;
        if (!(v6 ? V6 : V4).matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text);   // numeric by the check above: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
