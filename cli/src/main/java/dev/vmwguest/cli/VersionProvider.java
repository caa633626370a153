package dev.vmwguest.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.IVersionProvider;

/**
 * The version Maven wrote into {@code version.txt} at build time. A resource, not the manifest's
 * Implementation-Version, so that it is right on the class path, the module path, in a jlink
 * image and from target/classes alike.
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"vmwguest " + version(), "Java " + Runtime.version() + " (" + System.getProperty(
                "java.vm.name", "unknown VM") + ")"};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.txt")) {
            if (in == null) {
                throw new IllegalStateException("version.txt is missing from the vmwguest CLI: a broken build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CLI's version resource", e);
        }
    }
}
