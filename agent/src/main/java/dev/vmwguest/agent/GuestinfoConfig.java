package dev.vmwguest.agent;

import dev.vmwguest.rpci.RpciClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Typed readers for configuration the host passes in guest variables (guest-info.md 5.1-5.2):
 * the OVF environment ({@code guestinfo.ovfEnv}) and cloud-init's {@code guestinfo.metadata},
 * {@code userdata} and {@code vendordata} with their {@code .encoding}.
 *
 * <pre>{@code
 * GuestinfoConfig config = GuestinfoConfig.over(rpci);
 * Optional<String> hostname = config.ovfEnvironment().flatMap(env -> env.property("hostname"));
 * Optional<byte[]> userData = config.cloudInit("userdata");
 * }</pre>
 *
 * <p>Encodings as cloud-init reads them: {@code base64}/{@code b64}, {@code gzip+base64}/{@code gz+b64};
 * absent or blank means plain text. Unlike cloud-init, which uses the raw text for an encoding it
 * does not know, an unknown encoding is an error. A value that is blank or {@code ---} counts as
 * absent. Values larger than {@link #maxBytes()} (raw or decoded) are refused with a
 * {@link GuestConfigException} instead of being read in full.
 */
public final class GuestinfoConfig {

    /** Default limit for a raw or decoded value: 1 MiB, the host's default total for guest data. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;
    /** cloud-init's marker for a redacted or empty value. */
    public static final String REDACTED = "---";

    private final GuestVariables variables;
    private final int maxBytes;

    private GuestinfoConfig(GuestVariables variables, int maxBytes) {
        this.variables = variables;
        this.maxBytes = maxBytes;
    }

    /**
     * Reads through {@code rpci}'s guest variables.
     *
     * @param rpci the client
     * @return a reader with {@link #DEFAULT_MAX_BYTES}
     */
    public static GuestinfoConfig over(RpciClient rpci) {
        Objects.requireNonNull(rpci, "rpci");
        return over(new GuestVariables() {
            @Override
            public Optional<byte[]> get(String key) {
                return rpci.guestInfo().getBytes(key);
            }

            @Override
            public void set(String key, String value) {
                rpci.guestInfo().set(key, value);
            }
        });
    }

    /**
     * Reads through any store of guest variables.
     *
     * @param variables the store
     * @return a reader with {@link #DEFAULT_MAX_BYTES}
     */
    public static GuestinfoConfig over(GuestVariables variables) {
        return new GuestinfoConfig(Objects.requireNonNull(variables, "variables"), DEFAULT_MAX_BYTES);
    }

    /**
     * This reader with another size limit.
     *
     * @param bytes the largest raw or decoded value accepted
     * @return a copy
     * @throws IllegalArgumentException if not positive
     */
    public GuestinfoConfig withMaxBytes(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + bytes);
        }
        return new GuestinfoConfig(variables, bytes);
    }

    /**
     * The size limit.
     *
     * @return bytes
     */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * The OVF environment.
     *
     * @return the parsed environment, empty if {@code guestinfo.ovfEnv} is not set
     * @throws GuestConfigException if it is too large or not an OVF environment
     */
    public Optional<OvfEnvironment> ovfEnvironment() {
        return variables.get("ovfEnv").map(raw -> OvfEnvironmentParser.parse(limited("guestinfo.ovfEnv", raw)));
    }

    /**
     * A cloud-init value, decoded by its {@code .encoding}.
     *
     * @param key {@code metadata}, {@code userdata}, {@code vendordata} or another key of that convention
     * @return the decoded bytes; empty if not set, blank or {@code ---}
     * @throws GuestConfigException on a bad or unknown encoding, or a value over the size limit
     */
    public Optional<byte[]> cloudInit(String key) {
        Optional<byte[]> raw = variables.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String name = "guestinfo." + key;
        byte[] value = limited(name, raw.get());
        String text = new String(value, StandardCharsets.UTF_8).stripTrailing();
        if (text.isEmpty() || text.equals(REDACTED)) {
            return Optional.empty();
        }
        String encoding = variables.get(key + ".encoding").map(b -> new String(b, StandardCharsets.UTF_8).strip()
                .toLowerCase(Locale.ROOT)).orElse("");
        return Optional.of(switch (encoding) {
            case "" -> value;
            case "base64", "b64" -> base64(name, text);
            case "gzip+base64", "gz+b64" -> gunzip(name, base64(name, text));
            default -> throw new GuestConfigException(name + ".encoding is '" + encoding
                    + "'; supported: base64, b64, gzip+base64, gz+b64, or none");
        });
    }

    /**
     * A cloud-init value as UTF-8 text.
     *
     * @param key see {@link #cloudInit(String)}
     * @return the text, empty as there
     * @throws GuestConfigException as there
     */
    public Optional<String> cloudInitText(String key) {
        return cloudInit(key).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /**
     * Redacts a secret after reading it, as cloud-init does: sets the key to {@code ---} and its
     * {@code .encoding} to a single space (plain text), so later readers see nothing.
     *
     * @param key the key without {@code guestinfo.}
     */
    public void redact(String key) {
        variables.set(key, REDACTED);
        variables.set(key + ".encoding", " ");
    }

    private byte[] limited(String name, byte[] raw) {
        if (raw.length > maxBytes) {
            throw new GuestConfigException(name + " is " + raw.length + " bytes, over the limit of " + maxBytes);
        }
        return raw;
    }

    private static byte[] base64(String name, String text) {
        try {
            return Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new GuestConfigException(name + " is not valid base64: " + e.getMessage(), e);
        }
    }

    private byte[] gunzip(String name, byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (out.size() + n > maxBytes) {
                    throw new GuestConfigException(name + " decompresses to more than the limit of " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new GuestConfigException(name + " is not valid gzip: " + e.getMessage(), e);
        }
    }

    /** Where guest variables are read and written; keys are given without {@code guestinfo.}. */
    public interface GuestVariables {

        /**
         * Reads a variable.
         *
         * @param key the key without the prefix
         * @return its bytes, empty if not set
         */
        Optional<byte[]> get(String key);

        /**
         * Writes a variable.
         *
         * @param key   the key without the prefix
         * @param value the value
         */
        void set(String key, String value);
    }
}
