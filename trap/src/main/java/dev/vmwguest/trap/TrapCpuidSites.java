package dev.vmwguest.trap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Finds the {@code cpuid} instructions of an executable, for the supervisor's
 * CPUID breakpoints: the fallback that shows a program the {@code VMwareVMware}
 * signature on CPUs without CPUID faulting. The addresses come from
 * {@code objdump -d} (GNU binutils, installed with gcc); without objdump, or
 * for a file it cannot disassemble, there are none and the program sees the
 * real signature.
 *
 * <p>Only the executable's own code is covered, not the shared libraries it
 * loads; that is where VMware's tools keep their detection (open-vm-tools
 * links its vmcheck code statically into {@code vmware-rpctool}).
 */
final class TrapCpuidSites {

    private static final Pattern CPUID = Pattern.compile("^\\s*([0-9a-f]+):\\s+cpuid\\s*$");
    private static final Map<String, List<Long>> CACHE = new ConcurrentHashMap<>();

    private TrapCpuidSites() {
    }

    /** The executable a command runs: {@code command0} itself if it has a slash, else looked up on PATH. */
    static Optional<Path> resolve(String command0, @Nullable Path workingDirectory) {
        try {
            if (command0.contains("/")) {
                Path p = Path.of(command0);
                if (!p.isAbsolute() && workingDirectory != null) {
                    p = workingDirectory.resolve(p);
                }
                return Files.isRegularFile(p) ? Optional.of(p.toRealPath()) : Optional.empty();
            }
            String path = System.getenv("PATH");
            for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, command0);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p.toRealPath());
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Link-time addresses of the {@code cpuid} instructions in {@code executable}; empty if unknown. */
    static List<Long> find(Path executable) {
        String key;
        try {
            key = executable + "@" + Files.getLastModifiedTime(executable).toMillis() + "/" + Files.size(executable);
        } catch (IOException e) {
            return List.of();
        }
        return CACHE.computeIfAbsent(key, k -> disassemble(executable));
    }

    private static List<Long> disassemble(Path executable) {
        try {
            Process p = new ProcessBuilder("objdump", "-d", "--no-show-raw-insn", executable.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String text;
            try (InputStream in = p.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (p.waitFor() != 0) {
                return List.of();
            }
            List<Long> sites = new ArrayList<>();
            for (String line : text.split("\n")) {
                Matcher m = CPUID.matcher(line);
                if (m.matches()) {
                    sites.add(Long.parseUnsignedLong(m.group(1), 16));
                }
            }
            return List.copyOf(sites);
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The supervisor argument {@code EXE:ADDR,ADDR...}, or empty when there is nothing to plant. */
    static Optional<String> argument(String command0, @Nullable Path workingDirectory) {
        Optional<Path> exe = resolve(command0, workingDirectory);
        if (exe.isEmpty()) {
            return Optional.empty();
        }
        List<Long> sites = find(exe.get());
        if (sites.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(exe.get().toString()).append(':');
        for (int i = 0; i < sites.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(Long.toHexString(sites.get(i)));
        }
        return Optional.of(b.toString());
    }
}
