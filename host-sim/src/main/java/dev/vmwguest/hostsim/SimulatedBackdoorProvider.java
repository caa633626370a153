package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.spi.BackdoorProvider;
import java.util.Optional;

/**
 * The {@code sim} provider: {@link SimulatedHost#shared()}, selected only by
 * name ({@code -Dvmwguest.backdoor=sim} or {@code VMWGUEST_BACKDOOR=sim}),
 * never automatically, so production code cannot end up talking to a
 * simulator by accident.
 */
public final class SimulatedBackdoorProvider implements BackdoorProvider {

    /** The name users select it by. */
    public static final String NAME = "sim";

    /** For {@link java.util.ServiceLoader}. */
    public SimulatedBackdoorProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Lowest: it is never a candidate for automatic selection anyway. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    /** Always false. */
    @Override
    public boolean selectableAutomatically() {
        return false;
    }

    /** Says nothing about the real machine: the simulator is usable whenever it is asked for. */
    @Override
    public BackdoorDetection detect(BackdoorSettings settings) {
        return new BackdoorDetection(Backdoors.platform(), false, Optional.empty(), BackdoorDetection.Hypercall.NONE,
                true, false, "the simulated host (dev.vmwguest.hostsim), selected by name; no real hypervisor is used");
    }

    /** The process-wide {@link SimulatedHost#shared()} host. */
    @Override
    public Backdoor open(BackdoorSettings settings) {
        return SimulatedHost.shared();
    }
}
