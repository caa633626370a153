package dev.vmwguest.backdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.BackdoorSettings.Mode;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Selection settings: {@code -Dvmwguest.backdoor*} first, {@code VMWGUEST_BACKDOOR*} second (issue #2). */
class BackdoorSettingsTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static BackdoorSettings fromProps(String... keyValues) {
        return BackdoorSettings.from(props(keyValues), Map.of());
    }

    private static BackdoorSettings fromEnv(Map<String, String> env) {
        return BackdoorSettings.from(new Properties(), env);
    }

    @Test
    void namesAreTheDocumentedOnes() {
        assertThat(BackdoorSettings.MODE_PROPERTY).isEqualTo("vmwguest.backdoor");
        assertThat(BackdoorSettings.MODE_ENV).isEqualTo("VMWGUEST_BACKDOOR");
        assertThat(BackdoorSettings.FORCE_PROPERTY).isEqualTo("vmwguest.backdoor.force");
        assertThat(BackdoorSettings.FORCE_ENV).isEqualTo("VMWGUEST_BACKDOOR_FORCE");
    }

    @Test
    void nothingSetMeansAutoNotForcedHypercallsAllowed() {
        BackdoorSettings settings = BackdoorSettings.from(new Properties(), Map.of());
        assertThat(settings).isEqualTo(BackdoorSettings.defaults());
        assertThat(settings.mode()).isEqualTo(Mode.AUTO);
        assertThat(settings.force()).isFalse();
        assertThat(settings.legacyIo()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "auto, AUTO",
        "native, NATIVE",
        "sim, SIM",
        "off, OFF",
        "AUTO, AUTO",
        "Native, NATIVE",
        "SIM, SIM",
        "oFf, OFF",
        "' native ', NATIVE",
    })
    void modeFromPropertyAnyCase(String value, Mode expected) {
        assertThat(fromProps("vmwguest.backdoor", value).mode()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"auto, AUTO", "native, NATIVE", "sim, SIM", "OFF, OFF"})
    void modeFromEnvironment(String value, Mode expected) {
        assertThat(fromEnv(Map.of("VMWGUEST_BACKDOOR", value)).mode()).isEqualTo(expected);
    }

    @Test
    void propertyWinsOverEnvironment() {
        BackdoorSettings settings = BackdoorSettings.from(
                props("vmwguest.backdoor", "off", "vmwguest.backdoor.force", "false", "vmwguest.backdoor.legacy", "0"),
                Map.of("VMWGUEST_BACKDOOR", "sim", "VMWGUEST_BACKDOOR_FORCE", "1", "VMWGUEST_BACKDOOR_LEGACY", "1"));
        assertThat(settings).isEqualTo(new BackdoorSettings(Mode.OFF, false, false));
    }

    @Test
    void blankPropertyFallsBackToEnvironment() {
        BackdoorSettings settings = BackdoorSettings.from(props("vmwguest.backdoor", "  "),
                Map.of("VMWGUEST_BACKDOOR", "native"));
        assertThat(settings.mode()).isEqualTo(Mode.NATIVE);
    }

    @Test
    void blankEverywhereMeansDefault() {
        BackdoorSettings settings = BackdoorSettings.from(props("vmwguest.backdoor", ""),
                Map.of("VMWGUEST_BACKDOOR", " ", "VMWGUEST_BACKDOOR_FORCE", ""));
        assertThat(settings).isEqualTo(BackdoorSettings.defaults());
    }

    @Test
    void environmentIsReadOnlyUnderItsOwnNames() {
        // a property-style key in the environment, or an env-style key in the properties, is ignored
        BackdoorSettings settings = BackdoorSettings.from(props("VMWGUEST_BACKDOOR", "off"),
                Map.of("vmwguest.backdoor", "off"));
        assertThat(settings.mode()).isEqualTo(Mode.AUTO);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"true", "1", "TRUE", "True", " true "})
    void forceAndLegacyOn(String value) {
        assertThat(fromProps("vmwguest.backdoor.force", value).force()).isTrue();
        assertThat(fromProps("vmwguest.backdoor.legacy", value).legacyIo()).isTrue();
        assertThat(fromEnv(Map.of("VMWGUEST_BACKDOOR_FORCE", value)).force()).isTrue();
        assertThat(fromEnv(Map.of("VMWGUEST_BACKDOOR_LEGACY", value)).legacyIo()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"false", "0", "FALSE"})
    void forceAndLegacyOff(String value) {
        assertThat(fromProps("vmwguest.backdoor.force", value).force()).isFalse();
        assertThat(fromProps("vmwguest.backdoor.legacy", value).legacyIo()).isFalse();
        assertThat(fromEnv(Map.of("VMWGUEST_BACKDOOR_FORCE", value)).force()).isFalse();
    }

    @Test
    void flagsAreIndependentOfEachOtherAndOfMode() {
        assertThat(fromProps("vmwguest.backdoor", "native", "vmwguest.backdoor.force", "true"))
                .isEqualTo(new BackdoorSettings(Mode.NATIVE, true, false));
        assertThat(fromEnv(Map.of("VMWGUEST_BACKDOOR_LEGACY", "1")))
                .isEqualTo(new BackdoorSettings(Mode.AUTO, false, true));
    }

    @Test
    void invalidModeIsAClearError() {
        assertThatThrownBy(() -> fromProps("vmwguest.backdoor", "vmware"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'vmware'")
                .hasMessageContaining("vmwguest.backdoor")
                .hasMessageContaining("auto").hasMessageContaining("native")
                .hasMessageContaining("sim").hasMessageContaining("off");
    }

    @Test
    void invalidModeFromEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> fromEnv(Map.of("VMWGUEST_BACKDOOR", "jna")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'jna'")
                .hasMessageContaining("VMWGUEST_BACKDOOR");
    }

    @Test
    void invalidForceIsAClearError() {
        assertThatThrownBy(() -> fromProps("vmwguest.backdoor.force", "maybe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'maybe'")
                .hasMessageContaining("vmwguest.backdoor.force")
                .hasMessageContaining("true").hasMessageContaining("false");
    }

    @Test
    void invalidFlagFromEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> fromEnv(Map.of("VMWGUEST_BACKDOOR_FORCE", "2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'2'")
                .hasMessageContaining("VMWGUEST_BACKDOOR_FORCE");
        assertThatThrownBy(() -> fromEnv(Map.of("VMWGUEST_BACKDOOR_LEGACY", "yes please")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VMWGUEST_BACKDOOR_LEGACY");
    }

    @Test
    void fromEnvironmentReadsSystemProperties() {
        String saved = System.getProperty(BackdoorSettings.MODE_PROPERTY);
        System.setProperty(BackdoorSettings.MODE_PROPERTY, "Off");
        try {
            assertThat(BackdoorSettings.fromEnvironment().mode()).isEqualTo(Mode.OFF);
        } finally {
            restore(BackdoorSettings.MODE_PROPERTY, saved);
        }
    }

    static void restore(String key, String saved) {
        if (saved == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, saved);
        }
    }
}
