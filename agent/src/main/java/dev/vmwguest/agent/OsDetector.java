package dev.vmwguest.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Derives {@link OsIdentity} as vmtoolsd does on Linux (guest-info.md section 3.2-3.3;
 * open-vm-tools lib/misc/hostinfoPosix.c:933-1007, 1027-1041, 1191-1206, 1268-1289, 1398-1515,
 * 2035-2181, 2336-2389). The distribution table is the subset listed in {@link #GENERIC}
 * plus Debian and Red Hat; other distributions get the kernel-based id ({@code other6xlinux-64}).
 * The LSB fallback ({@code lsb_release}) is not used: os-release is read or nothing.
 */
final class OsDetector {

    /** Distribution patterns (lower case, first match in table order wins) with a fixed id. */
    static final Map<String, @Nullable String> GENERIC = table();

    private static final Pattern FIRST_NUMBER = Pattern.compile("(\\d+)");

    private OsDetector() {
    }

    private static Map<String, @Nullable String> table() {
        Map<String, @Nullable String> t = new LinkedHashMap<>();
        t.put("almalinux", "almaLinux");
        t.put("arch", "Arch");
        t.put("debian", null);
        t.put("red hat", null);
        t.put("fedora", "Fedora");
        t.put("flatcar", "flatcar");
        t.put("gentoo", "Gentoo");
        t.put("mandriva", "mandriva");
        t.put("opensuse", "opensuse");
        t.put("rocky linux", "rockyLinux");
        t.put("slackware", "Slackware");
        t.put("turbolinux", "turbolinux");
        t.put("ubuntu", "ubuntu");
        t.put("vmware photon", "vmware-photon");
        return t;
    }

    static OsIdentity detect(@Nullable String osReleaseText, String sysname, String kernelRelease, String arch) {
        OsRelease release = OsRelease.parse(osReleaseText == null ? "" : osReleaseText);
        boolean arm = arch.startsWith("aarch64") || arch.startsWith("arm");
        boolean is64 = arch.contains("64");
        String distro = release.isEmpty() ? otherKernelDescription(kernelRelease) : release.distro();
        String fullName = (sysname + " " + kernelRelease + " " + distro).strip();
        if (fullName.length() > 511) {
            fullName = fullName.substring(0, 511);
        }
        String shortName = shortName(release, distro, kernelRelease, arm) + (is64 ? "-64" : "");
        String detailed = detailed(List.of(
                new String[] {"architecture", arm ? "Arm" : "X86"},
                new String[] {"bitness", is64 ? "64" : "32"},
                new String[] {"buildNumber", release.get("BUILD_ID").orElse("")},
                new String[] {"cpeString", release.get("CPE_NAME").orElse("")},
                new String[] {"distroAddlVersion", release.get("VERSION").orElse("")},
                new String[] {"distroName", release.get("NAME").orElse(sysname)},
                new String[] {"distroVersion", release.get("VERSION_ID").orElse("")},
                new String[] {"familyName", sysname},
                new String[] {"kernelVersion", kernelRelease},
                new String[] {"prettyName", release.get("PRETTY_NAME").orElse("")}));
        return new OsIdentity(shortName, fullName, detailed);
    }

    private static String shortName(OsRelease release, String distro, String kernelRelease, boolean arm) {
        String lower = distro.toLowerCase(Locale.ROOT);
        String versionText = release.get("VERSION_ID").orElse(null);
        int version = leadingNumber(versionText != null ? versionText : distro).orElse(0);
        String prefix = arm ? "arm-" : "";
        if (!release.isEmpty()) {
            for (Map.Entry<String, @Nullable String> entry : GENERIC.entrySet()) {
                if (!lower.contains(entry.getKey())) {
                    continue;
                }
                return switch (entry.getKey()) {
                    case "debian" -> version <= 4 ? "debian4" : prefix + "debian" + version;
                    case "red hat" -> !lower.contains("enterprise") ? prefix + "redhat"
                            : prefix + "rhel" + (version == 0 ? "" : Integer.toString(version));
                    default -> prefix + entry.getValue();
                };
            }
        }
        int[] kernel = kernelVersion(kernelRelease);
        String other;
        if (kernel[0] < 2 || kernel[0] == 2 && kernel[1] < 4) {
            other = "other";
        } else if (kernel[0] == 2 && kernel[1] < 6) {
            other = "other24xlinux";
        } else if (kernel[0] == 2) {
            other = "other26xlinux";
        } else if (kernel[0] <= 6) {
            other = "other" + kernel[0] + "xlinux";
        } else {
            other = "other5xlinux";   // vmtoolsd 12.x maps kernels 7+ to the 5.x id
        }
        return prefix + other;
    }

    private static String otherKernelDescription(String kernelRelease) {
        int[] k = kernelVersion(kernelRelease);
        if (k[0] >= 7) {
            return "Other Linux " + k[0] + "." + k[1] + " kernel";
        }
        if (k[0] >= 3) {
            return "Other Linux " + k[0] + ".x kernel";
        }
        return "Other Linux " + k[0] + "." + k[1] + ".x kernel";
    }

    private static int[] kernelVersion(String release) {
        Matcher m = Pattern.compile("^(\\d+)(?:\\.(\\d+))?").matcher(release);
        if (!m.find()) {
            return new int[] {0, 0};
        }
        return new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))};
    }

    private static Optional<Integer> leadingNumber(String text) {
        Matcher m = FIRST_NUMBER.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The detailed string: quoted, escaped, trailing space trimmed; one field over 1023 bytes empties it. */
    static String detailed(List<String[]> fields) {
        StringBuilder out = new StringBuilder();
        for (String[] field : fields) {
            if (field[1].isEmpty()) {
                continue;
            }
            String escaped = field[1].replace("\\", "\\\\").replace("'", "\\'").stripTrailing();
            String pair = field[0] + "='" + escaped + "'";
            if (pair.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1022) {
                return "";
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(pair);
        }
        return out.toString();
    }
}
