package dev.vmwguest.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A replaceable source of one text fact: a file such as {@code /proc/net/route} or
 * {@code /etc/os-release} on Linux, or a fixed text in tests.
 */
@FunctionalInterface
public interface TextSource {

    /**
     * Reads the text.
     *
     * @return the text, or empty when this machine does not have it (the documented fallback applies)
     * @throws IOException if it exists but cannot be read
     */
    Optional<String> read() throws IOException;

    /**
     * The contents of {@code file}, empty if it does not exist.
     *
     * @param file the file to read on every call
     * @return a source reading that file
     */
    static TextSource file(Path file) {
        Objects.requireNonNull(file, "file");
        return () -> {
            try {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        };
    }

    /**
     * The first of {@code files} that exists.
     *
     * @param files candidates in order
     * @return a source reading the first existing file
     */
    static TextSource firstOf(Path... files) {
        return () -> {
            for (Path file : files) {
                Optional<String> text = file(file).read();
                if (text.isPresent()) {
                    return text;
                }
            }
            return Optional.empty();
        };
    }

    /**
     * Always {@code text}.
     *
     * @param text the fixed text
     * @return a source returning it
     */
    static TextSource of(String text) {
        Objects.requireNonNull(text, "text");
        return () -> Optional.of(text);
    }

    /**
     * Never anything: the fact is not available on this machine.
     *
     * @return a source returning empty
     */
    static TextSource absent() {
        return Optional::empty;
    }
}
