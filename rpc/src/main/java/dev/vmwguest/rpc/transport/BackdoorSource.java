package dev.vmwguest.rpc.transport;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.rpc.TransportKind;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link TransportSelector} gets a {@link Backdoor} when the policy
 * reaches {@link TransportKind#BACKDOOR}: opened only then, so that a client
 * served by vsock never probes the backdoor at all.
 */
interface BackdoorSource {

    /**
     * The backdoor.
     *
     * @return the backdoor
     * @throws dev.vmwguest.backdoor.BackdoorUnavailableException if there is none in this JVM
     */
    Backdoor open();

    /**
     * Why {@link #open()} would fail, found without touching any port; empty if it would not.
     *
     * @return the reason, or empty when opening would be tried
     */
    Optional<String> unavailability();

    /**
     * Always {@code backdoor} (the simulated host in tests, or one the caller opened).
     *
     * @param backdoor the backdoor to hand out
     * @return a source that always gives {@code backdoor}
     */
    static BackdoorSource of(Backdoor backdoor) {
        Objects.requireNonNull(backdoor, "backdoor");
        return new BackdoorSource() {
            @Override
            public Backdoor open() {
                return backdoor;
            }

            @Override
            public Optional<String> unavailability() {
                return Optional.empty();
            }
        };
    }

    /**
     * {@link Backdoors#open()} on first use, kept afterwards; {@link Backdoors#detect()} for the check.
     *
     * @return a source using this process's backdoor settings
     */
    static BackdoorSource detected() {
        return new BackdoorSource() {
            private @Nullable Backdoor opened;

            @Override
            public synchronized Backdoor open() {
                Backdoor backdoor = opened;
                if (backdoor == null) {
                    backdoor = Backdoors.open();
                    opened = backdoor;
                }
                return backdoor;
            }

            @Override
            public Optional<String> unavailability() {
                BackdoorDetection seen = Backdoors.detect();
                return seen.usable() ? Optional.empty() : Optional.of(seen.reason());
            }
        };
    }
}
