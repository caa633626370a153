package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.transport.TransportPolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The acquire timeout is optional, validated, and kept by every other wither. */
class RpciOptionsTest {

    @Test
    void thereIsNoAcquireTimeoutUnlessOneIsSet() {
        RpciOptions defaults = RpciOptions.defaults();

        assertThat(defaults.acquireTimeout()).isEmpty();
        assertThat(new RpciOptions(2, RpcChannelOptions.defaults(), TransportPolicy.backdoorOnly()).acquireTimeout())
                .isEmpty();
        RpciOptions bounded = defaults.withAcquireTimeout(Duration.ofSeconds(2));
        assertThat(bounded.acquireTimeout()).contains(Duration.ofSeconds(2));
        assertThat(bounded.withMaxChannels(4).withChannelOptions(RpcChannelOptions.defaults())
                .withTransport(TransportPolicy.backdoorOnly()).acquireTimeout()).contains(Duration.ofSeconds(2));
        assertThat(bounded.withoutAcquireTimeout().acquireTimeout()).isEmpty();
    }

    @Test
    void aTimeoutThatIsNotPositiveOrTooLongIsRefused() {
        RpciOptions defaults = RpciOptions.defaults();

        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withAcquireTimeout(Duration.ZERO))
                .withMessageContaining("acquireTimeout must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withAcquireTimeout(Duration.ofMillis(-1)))
                .withMessageContaining("acquireTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withAcquireTimeout(
                Duration.ofSeconds(Long.MAX_VALUE))).withMessageContaining("Long.MAX_VALUE nanoseconds");
        assertThatNullPointerException().isThrownBy(() -> defaults.withAcquireTimeout(null)).withMessage("timeout");
        assertThatNullPointerException().isThrownBy(() -> new RpciOptions(1, RpcChannelOptions.defaults(),
                TransportPolicy.backdoorOnly(), null)).withMessage("acquireTimeout");
        assertThat(new RpciOptions(1, RpcChannelOptions.defaults(), TransportPolicy.backdoorOnly(),
                Optional.of(Duration.ofNanos(1))).acquireTimeout()).contains(Duration.ofNanos(1));
    }
}
