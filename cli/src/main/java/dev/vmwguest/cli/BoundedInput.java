package dev.vmwguest.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a value of at most {@code limit} bytes from a stream or file: never more than
 * {@code limit + 1} bytes are read, so a huge file or an endless pipe ({@code /dev/zero}) costs
 * no more memory than the largest value the host would accept.
 */
final class BoundedInput {

    private BoundedInput() {
    }

    static byte[] read(InputStream in, int limit, String source) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw new LocalProblemException("cannot read " + source + ": " + describe(e), e);
        }
        if (bytes.length > limit) {
            throw new LocalProblemException(source + " holds more than " + limit
                    + " bytes, the largest value one info-set can carry for this key");
        }
        return bytes;
    }

    static byte[] read(Path file, int limit) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, limit, file.toString());
        } catch (IOException e) {
            throw new LocalProblemException("cannot read " + file + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
