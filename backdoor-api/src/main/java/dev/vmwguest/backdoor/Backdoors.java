package dev.vmwguest.backdoor;

import dev.vmwguest.backdoor.BackdoorUnavailableException.Reason;
import dev.vmwguest.backdoor.spi.BackdoorProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Entry point: detect whether this JVM runs on VMware, and open the backdoor.
 *
 * <pre>{@code
 * BackdoorDetection seen = Backdoors.detect();     // never touches a port
 * if (seen.usable()) {
 *     Backdoor backdoor = Backdoors.open();
 *     HostInfo host = HostInfo.query(backdoor);
 * }
 * }</pre>
 *
 * <p>Providers are found with {@link ServiceLoader}; which one is used is set
 * by {@link BackdoorSettings} ({@code -Dvmwguest.backdoor=auto|native|sim|off}
 * or {@code VMWGUEST_BACKDOOR}). {@code auto} never picks the simulator.
 */
public final class Backdoors {

    private Backdoors() {
    }

    /**
     * What the native provider can tell about this machine without touching
     * any port (CPUID only), under this process's {@link BackdoorSettings}.
     * Never throws for an unsupported platform: the result says so.
     *
     * @return what was detected, with the reason when the backdoor is not usable
     */
    public static BackdoorDetection detect() {
        return detect(BackdoorSettings.fromEnvironment(), installedProviders());
    }

    /**
     * A working backdoor chosen by this process's {@link BackdoorSettings}.
     *
     * @return the backdoor
     * @throws BackdoorUnavailableException saying why none could be had and what to do; when several
     *         providers were tried, their refusals are attached as suppressed exceptions
     */
    public static Backdoor open() {
        return open(BackdoorSettings.fromEnvironment());
    }

    /**
     * A working backdoor chosen by {@code settings}.
     *
     * @param settings which provider to use ({@code auto}, {@code native}, {@code sim} or {@code off})
     * @return the backdoor
     * @throws BackdoorUnavailableException as {@link #open()}
     */
    public static Backdoor open(BackdoorSettings settings) {
        return open(settings, installedProviders());
    }

    /**
     * One CPUID leaf of this machine's processor from the first installed provider that can
     * execute CPUID (the native one, on x86); never touches a port.
     *
     * @param leaf    the EAX input
     * @param subleaf the ECX input
     * @return a new array of eax, ebx, ecx, edx, or empty where no provider can read CPUID
     */
    public static Optional<int[]> cpuid(int leaf, int subleaf) {
        for (BackdoorProvider provider : installedProviders()) {
            Optional<int[]> registers = provider.cpuid(leaf, subleaf);
            if (registers.isPresent() && registers.get().length == 4) {
                return Optional.of(registers.get().clone());
            }
        }
        return Optional.empty();
    }

    /**
     * JNA's name for this platform ({@code linux-x86-64}, {@code linux-aarch64}, {@code win32-x86-64}, ...).
     *
     * @return the name, from the {@code os.name} and {@code os.arch} system properties
     */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.startsWith("windows") ? "win32" : os.startsWith("mac") ? "darwin" : os.replace(' ', '-');
        String archPart = switch (arch) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osPart + "-" + archPart;
    }

    static BackdoorDetection detect(BackdoorSettings settings, List<BackdoorProvider> providers) {
        return automatic(providers).stream().findFirst()
                .map(provider -> provider.detect(settings))
                .orElseGet(() -> BackdoorDetection.unknown(platform(),
                        "no native backdoor provider installed: " + nativeAdvice()));
    }

    static Backdoor open(BackdoorSettings settings, List<BackdoorProvider> providers) {
        return switch (settings.mode()) {
            case OFF -> throw new BackdoorUnavailableException(Reason.FORCED_OFF, "the backdoor is switched off ("
                    + BackdoorSettings.MODE_PROPERTY + "/" + BackdoorSettings.MODE_ENV + " = off); unset it to use VMware");
            case SIM -> named(providers, "sim", MissingProviderAdvice.forThisProcess(
                    "dev.vmwguest:vmwguest-host-sim", "dev.vmwguest.hostsim")).open(settings);
            case NATIVE -> named(providers, "native", nativeAdvice()).open(settings);
            case AUTO -> openFirstUsable(settings, automatic(providers));
        };
    }

    private static Backdoor openFirstUsable(BackdoorSettings settings, List<BackdoorProvider> candidates) {
        if (candidates.isEmpty()) {
            throw new BackdoorUnavailableException(Reason.NO_PROVIDER,
                    "no backdoor provider installed: " + nativeAdvice()
                            + " (or select the simulated host explicitly with -D" + BackdoorSettings.MODE_PROPERTY + "=sim)");
        }
        List<BackdoorUnavailableException> refusals = new ArrayList<>();
        for (BackdoorProvider provider : candidates) {
            try {
                return provider.open(settings);
            } catch (BackdoorUnavailableException refusal) {
                refusals.add(refusal);
            }
        }
        if (refusals.size() == 1) {
            throw refusals.get(0);
        }
        BackdoorUnavailableException first = refusals.get(0);
        BackdoorUnavailableException all = new BackdoorUnavailableException(first.reason(),
                "no usable VMware backdoor in this JVM: " + first.getMessage());
        refusals.forEach(all::addSuppressed);
        throw all;
    }

    private static BackdoorProvider named(List<BackdoorProvider> providers, String name, String advice) {
        Optional<BackdoorProvider> found = providers.stream().filter(p -> p.name().equals(name)).findFirst();
        return found.orElseThrow(() -> new BackdoorUnavailableException(Reason.NO_PROVIDER,
                "backdoor provider '" + name + "' was selected but is not installed: " + advice));
    }

    private static List<BackdoorProvider> automatic(List<BackdoorProvider> providers) {
        return providers.stream()
                .filter(BackdoorProvider::selectableAutomatically)
                .sorted(Comparator.comparingInt(BackdoorProvider::priority).reversed())
                .toList();
    }

    private static List<BackdoorProvider> installedProviders() {
        return ServiceLoader.load(BackdoorProvider.class, Backdoors.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    private static String nativeAdvice() {
        return MissingProviderAdvice.forThisProcess("dev.vmwguest:vmwguest-backdoor-native", "dev.vmwguest.backdoor.jna");
    }
}
