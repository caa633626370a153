package dev.vmwguest.backdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.BackdoorSettings.Mode;
import dev.vmwguest.backdoor.BackdoorUnavailableException.Reason;
import dev.vmwguest.backdoor.spi.BackdoorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Provider selection through the package-private entry points, and once through the real ServiceLoader. */
class BackdoorsTest {

    private static final BackdoorSettings AUTO = BackdoorSettings.defaults();

    /** A provider that hands out a fixed backdoor, or refuses, and counts what was asked of it. */
    private static final class FakeProvider implements BackdoorProvider {
        final String name;
        final int priority;
        final boolean automatic;
        final Backdoor backdoor = new FakeHost();
        final BackdoorDetection detection;
        final BackdoorUnavailableException refusal;
        final List<BackdoorSettings> opened = new ArrayList<>();
        final List<BackdoorSettings> detected = new ArrayList<>();

        FakeProvider(String name, int priority, boolean automatic, BackdoorUnavailableException refusal) {
            this.name = name;
            this.priority = priority;
            this.automatic = automatic;
            this.refusal = refusal;
            this.detection = new BackdoorDetection("test-" + name, true, Optional.of("VMwareVMware"),
                    BackdoorDetection.Hypercall.NONE, refusal == null, false, "detected by " + name);
        }

        static FakeProvider working(String name, int priority, boolean automatic) {
            return new FakeProvider(name, priority, automatic, null);
        }

        static FakeProvider refusing(String name, int priority, Reason reason) {
            return new FakeProvider(name, priority, true,
                    new BackdoorUnavailableException(reason, name + " refuses: " + reason));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public boolean selectableAutomatically() {
            return automatic;
        }

        @Override
        public BackdoorDetection detect(BackdoorSettings settings) {
            detected.add(settings);
            return detection;
        }

        @Override
        public Backdoor open(BackdoorSettings settings) {
            opened.add(settings);
            if (refusal != null) {
                throw refusal;
            }
            return backdoor;
        }
    }

    private static FakeProvider sim() {
        // like host-sim: explicitly selectable only, and with a priority that would win if it were considered
        return FakeProvider.working("sim", 1_000, false);
    }

    private static BackdoorSettings mode(Mode mode) {
        return new BackdoorSettings(mode, false, false);
    }

    @Test
    void autoPicksTheHighestPriorityAutomaticProvider() {
        FakeProvider low = FakeProvider.working("native", 10, true);
        FakeProvider high = FakeProvider.working("other", 20, true);
        FakeProvider sim = sim();

        for (List<BackdoorProvider> order : List.<List<BackdoorProvider>>of(
                List.of(low, high, sim), List.of(sim, high, low), List.of(high, sim, low))) {
            assertThat(Backdoors.open(AUTO, order)).isSameAs(high.backdoor);
        }
        assertThat(low.opened).isEmpty();
        assertThat(sim.opened).isEmpty();
    }

    @Test
    void autoNeverPicksTheSimulator() {
        FakeProvider sim = sim();

        assertThatThrownBy(() -> Backdoors.open(AUTO, List.of(sim)))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_PROVIDER))
                .hasMessageContaining("dev.vmwguest:vmwguest-backdoor-native")
                .hasMessageContaining("vmwguest.backdoor=sim");
        assertThat(sim.opened).isEmpty();
    }

    @Test
    void autoFallsBackToTheNextProviderWhenOneRefuses() {
        FakeProvider first = FakeProvider.refusing("native", 20, Reason.NOT_VMWARE);
        FakeProvider second = FakeProvider.working("other", 10, true);
        FakeProvider sim = sim();

        assertThat(Backdoors.open(AUTO, List.of(second, sim, first))).isSameAs(second.backdoor);
        assertThat(first.opened).hasSize(1);
        assertThat(sim.opened).isEmpty();
    }

    @Test
    void aSingleRefusalIsPassedOnUnchanged() {
        FakeProvider only = FakeProvider.refusing("native", 10, Reason.NOT_VMWARE);

        assertThatThrownBy(() -> Backdoors.open(AUTO, List.of(only, sim()))).isSameAs(only.refusal);
    }

    @Test
    void allRefusalsAreReportedWithTheFirstReason() {
        FakeProvider first = FakeProvider.refusing("native", 20, Reason.RESTRICTED_TO_KERNEL);
        FakeProvider second = FakeProvider.refusing("other", 10, Reason.UNSUPPORTED_PLATFORM);

        assertThatThrownBy(() -> Backdoors.open(AUTO, List.of(second, first)))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.RESTRICTED_TO_KERNEL);
                    assertThat(e.getSuppressed()).containsExactly(first.refusal, second.refusal);
                })
                .hasMessageContaining(first.refusal.getMessage());
    }

    @Test
    void settingsArePassedToTheProvider() {
        FakeProvider provider = FakeProvider.working("native", 1, true);
        BackdoorSettings forced = new BackdoorSettings(Mode.AUTO, true, true);

        Backdoors.open(forced, List.of(provider));

        assertThat(provider.opened).containsExactly(forced);
    }

    @Test
    void explicitSimPicksTheSimulatorByName() {
        FakeProvider nativeProvider = FakeProvider.working("native", 10, true);
        FakeProvider sim = sim();

        assertThat(Backdoors.open(mode(Mode.SIM), List.of(nativeProvider, sim))).isSameAs(sim.backdoor);
        assertThat(nativeProvider.opened).isEmpty();
    }

    @Test
    void explicitNativePicksByNameNotByPriority() {
        FakeProvider nativeProvider = FakeProvider.working("native", 1, true);
        FakeProvider other = FakeProvider.working("other", 100, true);

        assertThat(Backdoors.open(mode(Mode.NATIVE), List.of(other, nativeProvider, sim())))
                .isSameAs(nativeProvider.backdoor);
        assertThat(other.opened).isEmpty();
    }

    @Test
    void explicitNativeDoesNotFallBack() {
        FakeProvider nativeProvider = FakeProvider.refusing("native", 1, Reason.NOT_VMWARE);
        FakeProvider other = FakeProvider.working("other", 100, true);

        assertThatThrownBy(() -> Backdoors.open(mode(Mode.NATIVE), List.of(other, nativeProvider)))
                .isSameAs(nativeProvider.refusal);
        assertThat(other.opened).isEmpty();
    }

    @Test
    void missingNativeProviderSaysWhatToAdd() {
        assertThatThrownBy(() -> Backdoors.open(mode(Mode.NATIVE), List.of(sim())))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_PROVIDER))
                .hasMessageContaining("'native'")
                .hasMessageContaining("dev.vmwguest:vmwguest-backdoor-native");
    }

    @Test
    void missingSimulatorSaysWhatToAdd() {
        FakeProvider nativeProvider = FakeProvider.working("native", 10, true);

        assertThatThrownBy(() -> Backdoors.open(mode(Mode.SIM), List.of(nativeProvider)))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_PROVIDER))
                .hasMessageContaining("'sim'")
                .hasMessageContaining("dev.vmwguest:vmwguest-host-sim");
        assertThat(nativeProvider.opened).isEmpty();
    }

    @Test
    void offRefusesWithoutAskingAnyProvider() {
        FakeProvider nativeProvider = FakeProvider.working("native", 10, true);
        FakeProvider sim = sim();

        assertThatThrownBy(() -> Backdoors.open(mode(Mode.OFF), List.of(nativeProvider, sim)))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FORCED_OFF))
                .hasMessageContaining("off")
                .hasMessageContaining("vmwguest.backdoor");
        assertThat(nativeProvider.opened).isEmpty();
        assertThat(sim.opened).isEmpty();
    }

    @Test
    void noProvidersAtAllInAutoMode() {
        assertThatThrownBy(() -> Backdoors.open(AUTO, List.of()))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_PROVIDER))
                .hasMessageContaining("dev.vmwguest:vmwguest-backdoor-native");
    }

    @Test
    void detectAsksTheBestAutomaticProviderOnly() {
        FakeProvider low = FakeProvider.working("native", 10, true);
        FakeProvider high = FakeProvider.working("other", 20, true);
        FakeProvider sim = sim();
        BackdoorSettings forced = new BackdoorSettings(Mode.AUTO, true, false);

        assertThat(Backdoors.detect(forced, List.of(sim, low, high))).isSameAs(high.detection);
        assertThat(high.detected).containsExactly(forced);
        assertThat(low.detected).isEmpty();
        assertThat(sim.detected).isEmpty();
        assertThat(low.opened).isEmpty();
        assertThat(high.opened).as("detection must not open anything").isEmpty();
    }

    @Test
    void detectWithoutAnAutomaticProviderSaysWhatToAdd() {
        FakeProvider sim = sim();

        BackdoorDetection d = Backdoors.detect(AUTO, List.of(sim));

        assertThat(d.usable()).isFalse();
        assertThat(d.hypervisorVendor()).isEmpty();
        assertThat(d.platform()).isEqualTo(Backdoors.platform());
        assertThat(d.reason()).contains("dev.vmwguest:vmwguest-backdoor-native");
        assertThat(sim.detected).isEmpty();
    }

    // --- the real ServiceLoader: backdoor-api's own test class path has no providers ---

    @Test
    void serviceLoaderFindsNoProviderHere() {
        assertThatThrownBy(() -> Backdoors.open(AUTO))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_PROVIDER))
                .hasMessageContaining("dev.vmwguest:vmwguest-backdoor-native");
        assertThatThrownBy(() -> Backdoors.open(mode(Mode.SIM)))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_PROVIDER))
                .hasMessageContaining("dev.vmwguest:vmwguest-host-sim");
    }

    @Test
    void serviceLoaderDetectionWithoutProviderIsNotUsable() {
        BackdoorDetection d = Backdoors.detect();

        assertThat(d.usable()).isFalse();
        assertThat(d.reason()).contains("vmwguest-backdoor-native");
        assertThat(d.platform()).isEqualTo(Backdoors.platform());
    }

    @Test
    void openWithoutArgumentsHonoursTheSystemProperty() {
        String saved = System.getProperty(BackdoorSettings.MODE_PROPERTY);
        System.setProperty(BackdoorSettings.MODE_PROPERTY, "off");
        try {
            assertThatThrownBy(Backdoors::open)
                    .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.FORCED_OFF));
        } finally {
            BackdoorSettingsTest.restore(BackdoorSettings.MODE_PROPERTY, saved);
        }
    }

    // --- platform names as JNA spells them ---

    @Test
    void platformUsesJnaNames() {
        assertThat(platformFor("Linux", "amd64")).isEqualTo("linux-x86-64");
        assertThat(platformFor("Linux", "x86_64")).isEqualTo("linux-x86-64");
        assertThat(platformFor("Linux", "aarch64")).isEqualTo("linux-aarch64");
        assertThat(platformFor("Windows 11", "amd64")).isEqualTo("win32-x86-64");
        assertThat(platformFor("Mac OS X", "aarch64")).isEqualTo("darwin-aarch64");
    }

    private static String platformFor(String os, String arch) {
        String savedOs = System.getProperty("os.name");
        String savedArch = System.getProperty("os.arch");
        System.setProperty("os.name", os);
        System.setProperty("os.arch", arch);
        try {
            return Backdoors.platform();
        } finally {
            BackdoorSettingsTest.restore("os.name", savedOs);
            BackdoorSettingsTest.restore("os.arch", savedArch);
        }
    }
}
