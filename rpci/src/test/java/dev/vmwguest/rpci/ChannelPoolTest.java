package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcOpenException;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ChannelPool} on its own: bounded, reusing, replacing, and closing what it holds. */
class ChannelPoolTest {

    private static final byte[] REQUEST = "info-get guestinfo.x".getBytes(StandardCharsets.US_ASCII);

    private final SimulatedHost host = SimulatedHost.create();

    private ChannelPool pool(int maxChannels) {
        return new ChannelPool(TransportSelector.over(host, TransportPolicy.backdoorOnly()),
                RpciOptions.defaults().withMaxChannels(maxChannels).withAcquireTimeout(Duration.ofSeconds(30)));
    }

    @Test
    void aReleasedOpenChannelIsReusedNotReopened() {
        ChannelPool pool = pool(1);
        pool.openFirst();

        RpcConnection first = pool.acquire(false, REQUEST);
        pool.release(first);
        RpcConnection second = pool.acquire(false, REQUEST);
        pool.release(second);

        assertThat(second).isSameAs(first);
        assertThat(host.calls().opens()).isOne();
        pool.close();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void channelsUpToTheBoundAreOpenedForConcurrentHolders() {
        ChannelPool pool = pool(2);
        pool.openFirst();

        RpcConnection a = pool.acquire(false, REQUEST);
        RpcConnection b = pool.acquire(false, REQUEST);

        assertThat(b).isNotSameAs(a);
        assertThat(host.openChannels()).isEqualTo(2);
        pool.release(a);
        pool.release(b);
        pool.close();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void aFreshChannelAtTheBoundReplacesTheIdleOne() {
        ChannelPool pool = pool(1);
        pool.openFirst();
        RpcConnection pooled = pool.acquire(false, REQUEST);
        pool.release(pooled);

        RpcConnection fresh = pool.acquire(true, REQUEST);

        assertThat(fresh).isNotSameAs(pooled);
        assertThat(pooled.isOpen()).isFalse();
        assertThat(host.calls().opens()).isEqualTo(2);
        assertThat(host.openChannels()).isOne();
        pool.release(fresh);
        pool.close();
    }

    @Test
    void aDeadChannelIsCountedOutAndReplacedOnTheNextAcquire() {
        ChannelPool pool = pool(1);
        pool.openFirst();
        RpcConnection dead = pool.acquire(false, REQUEST);
        dead.close();
        pool.release(dead);

        RpcConnection next = pool.acquire(false, REQUEST);

        assertThat(next).isNotSameAs(dead);
        assertThat(next.isOpen()).isTrue();
        pool.release(next);
        pool.close();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void aRefusedOpenWithNoChannelHeldIsThrown() {
        ChannelPool pool = pool(1);
        host.faults().refuseOpens(true);

        assertThatThrownBy(pool::openFirst).isInstanceOf(RpcOpenException.class);
    }

    @Test
    void afterCloseNoChannelIsHandedOutAndAChannelInUseClosesOnRelease() {
        ChannelPool pool = pool(1);
        pool.openFirst();
        RpcConnection inUse = pool.acquire(false, REQUEST);

        pool.close();
        assertThatIllegalStateException().isThrownBy(() -> pool.acquire(false, REQUEST));
        assertThat(inUse.isOpen()).isTrue();
        pool.release(inUse);

        assertThat(inUse.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
    }
}
