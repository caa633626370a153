package dev.vmwguest.rpc;

import dev.vmwguest.backdoor.Backdoors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.function.BiFunction;

/**
 * What {@link ConfidentialGuest} reads about the machine: CPUID leaves and files. An interface so
 * that tests inject CPUID values and file trees; {@link #live()} is the real machine.
 */
interface MachineView {

    /** eax, ebx, ecx, edx of a CPUID leaf, or empty where CPUID cannot be read (no native provider, not x86). */
    Optional<int[]> cpuid(int leaf, int subleaf);

    /** Whether something (file, directory, device node) exists at this absolute path. */
    boolean exists(String path);

    /** The first {@code maxBytes} of a file as ISO-8859-1 text, or empty when it cannot be read. */
    Optional<String> read(String path, int maxBytes);

    /** This machine: CPUID through {@link Backdoors#cpuid}, files from the root directory. */
    static MachineView live() {
        return rooted(Path.of("/"), (leaf, subleaf) -> {
            try {
                return Backdoors.cpuid(leaf, subleaf);
            } catch (RuntimeException | LinkageError | ServiceConfigurationError unavailable) {
                // No usable stub: CPUID is simply not a source here.
                return Optional.empty();
            }
        });
    }

    /** Files under {@code root} (an absolute path {@code /a/b} is {@code root/a/b}), CPUID from {@code cpuid}. */
    static MachineView rooted(Path root, BiFunction<Integer, Integer, Optional<int[]>> cpuid) {
        return new MachineView() {
            @Override
            public Optional<int[]> cpuid(int leaf, int subleaf) {
                return cpuid.apply(leaf, subleaf);
            }

            @Override
            public boolean exists(String path) {
                try {
                    return Files.exists(resolve(path));
                } catch (RuntimeException denied) {
                    return false;
                }
            }

            @Override
            public Optional<String> read(String path, int maxBytes) {
                try (InputStream in = Files.newInputStream(resolve(path))) {
                    return Optional.of(new String(in.readNBytes(maxBytes), StandardCharsets.ISO_8859_1));
                } catch (IOException | RuntimeException unreadable) {
                    // Missing, a directory, or not ours to read: this source says nothing.
                    return Optional.empty();
                }
            }

            private Path resolve(String path) {
                return root.resolve(path.startsWith("/") ? path.substring(1) : path);
            }
        };
    }
}
