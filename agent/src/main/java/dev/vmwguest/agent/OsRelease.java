package dev.vmwguest.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of {@code /etc/os-release} that vmtoolsd reads, parsed the way it parses them
 * (open-vm-tools lib/misc/hostinfoPosix.c:1543-1719): a line must start exactly with
 * {@code KEY=}; a value opening with {@code "} runs to the last {@code "} of the line, with no
 * unescaping; any other value runs to the end of the line; values are cut at 1023 bytes.
 */
final class OsRelease {

    static final List<String> KEYS = List.of("PRETTY_NAME", "NAME", "VERSION_ID", "BUILD_ID", "VERSION", "CPE_NAME");
    private static final int MAX_VALUE = 1023;

    private final Map<String, String> values;
    private final String distro;

    private OsRelease(Map<String, String> values, String distro) {
        this.values = values;
        this.distro = distro;
    }

    static OsRelease parse(String text) {
        Map<String, String> values = new HashMap<>();
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            for (String key : KEYS) {
                if (!line.startsWith(key + "=")) {
                    continue;
                }
                String rest = line.substring(key.length() + 1);
                String value;
                if (rest.startsWith("\"")) {
                    int close = rest.lastIndexOf('"');
                    if (close == 0) {
                        continue;   // vmtoolsd rejects the whole file here; skipping the line is kinder
                    }
                    value = rest.substring(1, close);
                } else {
                    value = rest;
                }
                if (value.length() > MAX_VALUE) {
                    value = value.substring(0, MAX_VALUE - 1);
                }
                values.put(key, value);
                found.add(value);
            }
        }
        return new OsRelease(values, String.join(" ", found));
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
    }

    /** The found values joined by spaces in file order: vmtoolsd's distro description. */
    String distro() {
        return distro;
    }

    boolean isEmpty() {
        return values.isEmpty();
    }
}
