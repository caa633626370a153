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
    void retriesStartAtTheNextTickAndDoubleUpToOneSecond() {
        TcloPolling polling = TcloPolling.defaults();

        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 60).stream().map(n -> polling.retryDelay(n).toMillis()))
                .containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L);
        assertThat(polling.maxFailures()).isEqualTo(60);
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
    }
}
