package dev.vmwguest.backdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.BackdoorSettings.Mode;
import dev.vmwguest.backdoor.MissingProviderAdvice.Launch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "Not installed" advice that fits how the program was started (issue 17). */
class MissingProviderAdviceTest {

    private static final String SIM = "dev.vmwguest:vmwguest-host-sim";

    @Test
    void onlyATestIsToldAboutTestScope() {
        assertThat(MissingProviderAdvice.advice(SIM, "dev.vmwguest.hostsim", Launch.TEST, ""))
                .contains("test-scoped dependency");
        for (Launch launch : List.of(Launch.JAR, Launch.CLASS_PATH, Launch.MODULE_PATH, Launch.RUNTIME_IMAGE)) {
            assertThat(MissingProviderAdvice.advice(SIM, "dev.vmwguest.hostsim", launch, "app.jar --x"))
                    .as(launch.name()).doesNotContain("test").contains("dev.vmwguest");
        }
    }

    @Test
    void eachLaunchGetsItsOwnRemedy() {
        assertThat(MissingProviderAdvice.advice(SIM, "dev.vmwguest.hostsim", Launch.JAR, "target/app.jar run"))
                .contains("the jar target/app.jar was built without it").contains("rebuild the jar");
        assertThat(MissingProviderAdvice.advice(SIM, "dev.vmwguest.hostsim", Launch.CLASS_PATH, "app.Main"))
                .contains("to the class path");
        assertThat(MissingProviderAdvice.advice(SIM, "dev.vmwguest.hostsim", Launch.MODULE_PATH, "app/app.Main"))
                .contains("on the module path (module dev.vmwguest.hostsim");
        assertThat(MissingProviderAdvice.advice(SIM, "dev.vmwguest.hostsim", Launch.RUNTIME_IMAGE, ""))
                .contains("linked without module dev.vmwguest.hostsim").contains("--bind-services");
    }

    @Test
    void thisTestRunIsRecognisedAsATest() {
        assertThat(MissingProviderAdvice.launch()).isEqualTo(Launch.TEST);
    }

    @Test
    void selectingAMissingSimulatorGivesTheAdviceForThisLaunch() {
        BackdoorSettings sim = new BackdoorSettings(Mode.SIM, false, false);

        assertThatThrownBy(() -> Backdoors.open(sim, List.of()))
                .isInstanceOf(BackdoorUnavailableException.class)
                .hasMessageContaining("'sim' was selected but is not installed")
                .hasMessageContaining(MissingProviderAdvice.advice(SIM, "dev.vmwguest.hostsim",
                        MissingProviderAdvice.launch(), System.getProperty("sun.java.command", "")));
    }
}
