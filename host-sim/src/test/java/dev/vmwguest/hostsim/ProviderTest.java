package dev.vmwguest.hostsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.spi.BackdoorProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code sim} provider: found by ServiceLoader, selectable by name, never automatically. */
class ProviderTest {

    @Test
    void theProviderIsRegisteredBothWaysAndIsNotSelectableAutomatically() throws IOException {
        String services = "META-INF/services/" + BackdoorProvider.class.getName();
        try (InputStream in = SimulatedBackdoorProvider.class.getClassLoader().getResourceAsStream(services)) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo(SimulatedBackdoorProvider.class.getName());
        }
        Module module = SimulatedBackdoorProvider.class.getModule();
        if (module.isNamed()) {
            assertThat(module.getDescriptor().provides()).anySatisfy(p -> {
                assertThat(p.service()).isEqualTo(BackdoorProvider.class.getName());
                assertThat(p.providers()).containsExactly(SimulatedBackdoorProvider.class.getName());
            });
        }
        BackdoorProvider provider = new SimulatedBackdoorProvider();
        assertThat(provider.name()).isEqualTo("sim");
        assertThat(provider.selectableAutomatically()).isFalse();
        assertThat(provider.detect(BackdoorSettings.defaults()).usable()).isTrue();
    }

    @Test
    void serviceLoaderFindsItWhenSimIsSelectedByNameAndGivesTheSharedHost() {
        Backdoor backdoor = Backdoors.open(new BackdoorSettings(BackdoorSettings.Mode.SIM, false, false));

        assertThat(backdoor).isSameAs(SimulatedHost.shared());
        assertThat(backdoor.mechanism()).isEqualTo(BackdoorMechanism.SIMULATED);
    }

    @Test
    void autoNeverPicksTheSimulator() {
        // Only host-sim is on this module's test path: auto must find nothing rather than the simulator.
        assertThatThrownBy(() -> Backdoors.open(BackdoorSettings.defaults()))
                .isInstanceOf(BackdoorUnavailableException.class);
    }
}
