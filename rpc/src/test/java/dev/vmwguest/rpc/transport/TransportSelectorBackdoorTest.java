package dev.vmwguest.rpc.transport;

import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.hostsim.SimulatedHost;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportSelector#backdoor()}: the backdoor for its own commands (host
 * time), whatever transport the policy picks for GuestRPC, and never an exception.
 */
class TransportSelectorBackdoorTest {

    @Test
    void aSelectorWhosePolicyNamesOnlyVsockStillGivesItsBackdoor() {
        SimulatedHost host = SimulatedHost.create();

        assertThat(TransportSelector.over(host, TransportPolicy.of(VSOCK)).backdoor()).containsSame(host);
    }

    @Test
    void noUsableBackdoorIsEmptyNotAnException() {
        BackdoorSource none = new BackdoorSource() {
            @Override
            public Backdoor open() {
                throw new AssertionError("opened although detection said there is no backdoor");
            }

            @Override
            public Optional<String> unavailability() {
                return Optional.of("not VMware");
            }
        };

        assertThat(TransportSelector.withClock(TransportPolicy.defaults(), none, List.of(), System::nanoTime)
                .backdoor()).isEmpty();
    }

    @Test
    void aBackdoorThatFailsToOpenIsEmptyNotAnException() {
        BackdoorSource failing = new BackdoorSource() {
            @Override
            public Backdoor open() {
                throw new BackdoorUnavailableException(BackdoorUnavailableException.Reason.NOT_ANSWERED, "no answer");
            }

            @Override
            public Optional<String> unavailability() {
                return Optional.empty();
            }
        };

        assertThat(TransportSelector.withClock(TransportPolicy.defaults(), failing, List.of(), System::nanoTime)
                .backdoor()).isEmpty();
    }
}
