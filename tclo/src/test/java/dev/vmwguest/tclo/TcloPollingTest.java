package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Intervals from shared/protocol/tclo.md section 3 (open-vm-tools rpcin.c, observed-clients.md). */
class TcloPollingTest {

    @Test
    void idlePollsBackOffLikeVmtoolsd() {
        TcloPolling polling = TcloPolling.defaults();
        List<Long> millis = new ArrayList<>();
        Duration delay = Duration.ZERO;
        for (int i = 0; i < 7; i++) {
            delay = polling.nextIdleDelay(delay);
            millis.add(delay.toMillis());
        }

        assertThat(millis).containsExactly(10L, 20L, 40L, 80L, 100L, 100L, 100L);
    }

    @Test
    void aReopenWaitsOneSecondLikeVmtoolsdAndTheWaitGrowsToFifteen() {
        // rpcChannel.c:187-190 restarts after 1 s; tclo.md 6 recommends growing; 15 s is the BSD drivers' bound.
        TcloPolling polling = TcloPolling.defaults();

        assertThat(List.of(1, 2, 3, 4, 5, 6, 60).stream().map(n -> polling.retryDelay(n).toMillis()))
                .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 15_000L, 15_000L, 15_000L);
        assertThat(polling.maxFailures()).isEqualTo(60);
        assertThat(TcloPolling.vmwareTools().retryDelay(7)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void afterAQuietPeriodTheDefaultPollsOnceASecondAndVmwareToolsKeepsOneHundredMilliseconds() {
        Duration steady = Duration.ofMillis(100);
        Duration quiet = Duration.ofSeconds(10);

        assertThat(TcloPolling.defaults().idleDelay(steady, quiet.minusMillis(1))).isEqualTo(steady);
        assertThat(TcloPolling.defaults().idleDelay(steady, quiet)).isEqualTo(Duration.ofSeconds(1));
        assertThat(TcloPolling.vmwareTools().idleDelay(steady, Duration.ofHours(1))).isEqualTo(steady);
        // After activity the back-off starts again from 10 ms in both profiles.
        assertThat(TcloPolling.defaults().idleDelay(Duration.ZERO, Duration.ZERO)).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void delaysAreConfigurable() {
        TcloPolling polling = TcloPolling.defaults().withIdleDelays(Duration.ofMillis(50), Duration.ofSeconds(1));

        assertThat(polling.nextIdleDelay(Duration.ZERO)).isEqualTo(Duration.ofMillis(50));
        assertThat(polling.nextIdleDelay(Duration.ofMillis(800))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void nonsenseIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> TcloPolling.defaults()
                .withIdleDelays(Duration.ZERO, Duration.ofMillis(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> TcloPolling.defaults()
                .withRetryDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> TcloPolling.defaults().withMaxFailures(0));
        assertThatIllegalArgumentException().isThrownBy(() -> TcloPolling.defaults()
                .withQuietPolling(Duration.ofSeconds(1), Duration.ofMillis(50)));
    }
}
