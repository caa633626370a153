package dev.vmwguest.backdoor.spi;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import java.util.Optional;

/**
 * A source of {@link Backdoor}s, found with {@link java.util.ServiceLoader}.
 *
 * <p>Register an implementation both with {@code provides} in
 * {@code module-info.java} and in {@code META-INF/services} so that class-path
 * users find it too. Implementations must be cheap to construct: all probing
 * happens in {@link #detect} and {@link #open}.
 */
public interface BackdoorProvider {

    /**
     * The name users select it by ({@code native}, {@code sim}).
     *
     * @return the name users select it by ({@code native}, {@code sim})
     */
    String name();

    /**
     * Higher wins when several automatically selectable providers are usable.
     *
     * @return this provider's rank; higher wins
     */
    int priority();

    /**
     * Whether {@code auto} may pick this provider. The simulator answers
     * false, so production code never ends up talking to a simulator by
     * accident.
     *
     * @return whether {@code auto} may pick this provider
     */
    boolean selectableAutomatically();

    /**
     * What this provider can tell about the machine without touching any port.
     *
     * @param settings the settings to apply
     * @return what this provider can tell about the machine without touching any port
     */
    BackdoorDetection detect(BackdoorSettings settings);

    /**
     * A working backdoor.
     *
     * @param settings the settings to apply
     * @return a working backdoor
     * @throws BackdoorUnavailableException saying why not and what to do
     */
    Backdoor open(BackdoorSettings settings);

    /**
     * One CPUID leaf of this machine's processor, for what detection alone does not say (whether
     * the guest's memory is encrypted, say). CPUID never faults. Providers that cannot execute it
     * (the simulator, non-x86 platforms, a stub that failed to load) answer empty, the default.
     *
     * @param leaf    the EAX input
     * @param subleaf the ECX input
     * @return a new array of eax, ebx, ecx, edx, or empty
     */
    default Optional<int[]> cpuid(int leaf, int subleaf) {
        return Optional.empty();
    }
}
