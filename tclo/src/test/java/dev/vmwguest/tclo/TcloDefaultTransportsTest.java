package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.TransportKind;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code TcloEvents.builder(appName)} without {@code transports(...)} connects by the process's
 * policy ({@code TransportSelector.forThisProcess()}): with {@code vmwguest.backdoor=sim} that is
 * the shared simulated host, with selection recorded.
 */
class TcloDefaultTransportsTest {

    @Test
    void withoutASelectorTheProcessPolicyIsUsed() throws Exception {
        assumeTrue(System.getenv(BackdoorSettings.MODE_ENV) == null, "VMWGUEST_BACKDOOR is set in this environment");
        String previous = System.getProperty(BackdoorSettings.MODE_PROPERTY);
        System.setProperty(BackdoorSettings.MODE_PROPERTY, "sim");
        try {
            TcloEvents events = TcloEvents.builder("defaultpolicy").logger(new CountingLogger()).start();
            try {
                assertThat(SimulatedHost.shared().tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
                assertThat(events.transportSelection()).get()
                        .satisfies(selection -> assertThat(selection.chosen()).contains(TransportKind.BACKDOOR));
            } finally {
                assertTimeoutPreemptively(Duration.ofSeconds(20), events::close);
            }
        } finally {
            if (previous == null) {
                System.clearProperty(BackdoorSettings.MODE_PROPERTY);
            } else {
                System.setProperty(BackdoorSettings.MODE_PROPERTY, previous);
            }
        }
    }
}
