package dev.vmwguest.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class VsockSettingsTest {

    @Test
    void theDefaultsAreTheHypervisorAndTheFactSheetsPortsAndTimes() {
        VsockSettings settings = VsockSettings.from(new Properties(), Map.of());

        assertThat(settings).isEqualTo(VsockSettings.defaults());
        assertThat(settings.cid()).isZero();
        assertThat(settings.rpciPort()).isEqualTo(976);
        assertThat(settings.tcloPort()).isEqualTo(975);
        assertThat(settings.standIn()).isEmpty();
        assertThat(settings.cidConfigured()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.heartbeat()).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void propertiesWinOverTheEnvironmentAndEveryVariableIsNamedAfterItsProperty() {
        Properties properties = new Properties();
        properties.setProperty("vmwguest.vsock.rpci.port", "1976");

        VsockSettings settings = VsockSettings.from(properties, Map.of(
                "VMWGUEST_VSOCK_RPCI_PORT", "2976",
                "VMWGUEST_VSOCK_TCLO_PORT", "1975",
                "VMWGUEST_VSOCK_CID", "1",
                "VMWGUEST_VSOCK_STANDIN", "/run/vmwguest-sim",
                "VMWGUEST_VSOCK_REPLY_TIMEOUT", "2500"));

        assertThat(settings.rpciPort()).isEqualTo(1976);
        assertThat(settings.tcloPort()).isEqualTo(1975);
        assertThat(settings.cid()).isEqualTo(1);
        assertThat(settings.cidConfigured()).isTrue();
        assertThat(settings.standIn()).contains(Path.of("/run/vmwguest-sim"));
        assertThat(settings.replyTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void cidAnyIsReadAsUnsigned() {
        Properties properties = new Properties();
        properties.setProperty(VsockSettings.CID_PROPERTY, "4294967295");

        assertThat(VsockSettings.from(properties, Map.of()).cid()).isEqualTo(-1);
    }

    @Test
    void aValueThatIsNotANumberIsRejectedNamingBothSources() {
        Properties properties = new Properties();
        properties.setProperty(VsockSettings.TCLO_PORT_PROPERTY, "nine");

        assertThatIllegalArgumentException().isThrownBy(() -> VsockSettings.from(properties, Map.of()))
                .withMessageContaining("vmwguest.vsock.tclo.port / VMWGUEST_VSOCK_TCLO_PORT is 'nine'");
    }
}
