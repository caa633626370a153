package dev.vmwguest.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** GLib-style glob patterns ({@code *} any run, {@code ?} one character) as vmtoolsd's NIC settings use. */
final class NicPattern {

    private NicPattern() {
    }

    /** A comma-separated pattern list; blank entries ignored. */
    static List<Pattern> compile(List<String> globs) {
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : globs) {
            String g = glob.trim();
            if (g.isEmpty()) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            for (char c : g.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            patterns.add(Pattern.compile(regex.toString(), Pattern.DOTALL));
        }
        return patterns;
    }

    static boolean any(List<Pattern> patterns, String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }
}
