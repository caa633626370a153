package dev.vmwguest.backdoor;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * How the user asked for a backdoor to be chosen, read from system properties
 * first and environment variables second.
 *
 * <table>
 * <caption>Configuration</caption>
 * <tr><th>property</th><th>environment</th><th>values</th></tr>
 * <tr><td>{@code vmwguest.backdoor}</td><td>{@code VMWGUEST_BACKDOOR}</td>
 *     <td>{@code auto} (default: the native stub when detection allows it; never the simulator),
 *     {@code native}, {@code sim}, {@code off}</td></tr>
 * <tr><td>{@code vmwguest.backdoor.force}</td><td>{@code VMWGUEST_BACKDOOR_FORCE}</td>
 *     <td>{@code true}/{@code 1}: use the native backdoor even when CPUID does not say VMware
 *     (emulators and hidden-hypervisor setups)</td></tr>
 * <tr><td>{@code vmwguest.backdoor.legacy}</td><td>{@code VMWGUEST_BACKDOOR_LEGACY}</td>
 *     <td>{@code true}/{@code 1}: use port I/O even when the host offers {@code vmcall}/{@code vmmcall}</td></tr>
 * </table>
 *
 * @param mode     which provider to use
 * @param force    use the native backdoor without a VMware CPUID signature
 * @param legacyIo prefer port I/O over the hypercall form
 */
public record BackdoorSettings(Mode mode, boolean force, boolean legacyIo) {

    /** System property naming the provider. */
    public static final String MODE_PROPERTY = "vmwguest.backdoor";
    /** Environment variable naming the provider. */
    public static final String MODE_ENV = "VMWGUEST_BACKDOOR";
    /** System property forcing the native backdoor. */
    public static final String FORCE_PROPERTY = "vmwguest.backdoor.force";
    /** Environment variable forcing the native backdoor. */
    public static final String FORCE_ENV = "VMWGUEST_BACKDOOR_FORCE";
    /** System property preferring port I/O over hypercalls. */
    public static final String LEGACY_PROPERTY = "vmwguest.backdoor.legacy";
    /** Environment variable preferring port I/O over hypercalls. */
    public static final String LEGACY_ENV = "VMWGUEST_BACKDOOR_LEGACY";

    /** Which provider {@link Backdoors#open()} uses. */
    public enum Mode {
        /** The best automatically selectable provider: the native stub, never the simulator. */
        AUTO,
        /** The native stub only. */
        NATIVE,
        /** The simulated host only; must be asked for by name. */
        SIM,
        /** No backdoor at all: {@link Backdoors#open()} always throws. */
        OFF
    }

    /**
     * Defaults: {@code auto}, not forced, hypercalls allowed.
     *
     * @return the default settings
     */
    public static BackdoorSettings defaults() {
        return new BackdoorSettings(Mode.AUTO, false, false);
    }

    /**
     * The settings of this process: system properties, then environment.
     *
     * @return the settings of this process
     */
    public static BackdoorSettings fromEnvironment() {
        return from(System.getProperties(), System.getenv());
    }

    /**
     * Reads settings from the given properties and environment; a property
     * wins over the variable of the same meaning.
     *
     * @param properties system properties, such as {@link System#getProperties()}
     * @param environment environment variables, such as {@link System#getenv()}
     * @return the settings these sources ask for, defaults where they say nothing
     * @throws IllegalArgumentException on a value that is not one of those listed, naming where it came from
     */
    public static BackdoorSettings from(Properties properties, Map<String, String> environment) {
        String mode = pick(properties, MODE_PROPERTY, environment, MODE_ENV);
        String force = pick(properties, FORCE_PROPERTY, environment, FORCE_ENV);
        String legacy = pick(properties, LEGACY_PROPERTY, environment, LEGACY_ENV);
        return new BackdoorSettings(
                mode == null ? Mode.AUTO : parseMode(mode),
                force != null && parseFlag(FORCE_PROPERTY + " / " + FORCE_ENV, force),
                legacy != null && parseFlag(LEGACY_PROPERTY + " / " + LEGACY_ENV, legacy));
    }

    private static @Nullable String pick(Properties properties, String property, Map<String, String> env, String variable) {
        String value = properties.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Mode parseMode(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> Mode.AUTO;
            case "native" -> Mode.NATIVE;
            case "sim", "simulated", "simulator" -> Mode.SIM;
            case "off", "none" -> Mode.OFF;
            default -> throw new IllegalArgumentException(MODE_PROPERTY + " / " + MODE_ENV + " is '" + value
                    + "'; expected one of auto, native, sim, off");
        };
    }

    private static boolean parseFlag(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " is '" + value + "'; expected true/1 or false/0");
        };
    }
}
