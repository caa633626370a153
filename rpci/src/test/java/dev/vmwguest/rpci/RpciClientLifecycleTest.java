package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.HostProfile;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcOpenException;
import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.PrivilegedTransportUnavailableException;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Opening costs one channel at once; close gives every channel back to the host. */
class RpciClientLifecycleTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void openingTakesOneChannelAtOnceAndCloseGivesItBack() {
        RpciClient rpci = RpciClient.open(TransportSelector.over(host));
        assertThat(host.openChannels()).isOne();
        rpci.log("hello");

        rpci.close();

        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().closes()).isOne();
        assertThat(host.calls().violations()).isZero();
    }

    @Test
    void aClientOverASimulatedHostKeepsThePolicyAndSaysWhyVsockWasPassedOver() {
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host, TransportPolicy.defaults()))) {
            TransportSelection selection = rpci.transportSelection().orElseThrow();

            assertThat(selection.chosen()).contains(TransportKind.BACKDOOR);
            assertThat(selection.refusals()).extracting(TransportRefusal::reason)
                    .containsExactly(TransportRefusal.Reason.NOT_OFFERED, TransportRefusal.Reason.NOT_OFFERED);
        }
    }

    @Test
    void secureRpcOverASimulatedHostFailsAsWithoutVsockAndSendsNothing() {
        assertThatThrownBy(() -> RpciClient.open(TransportSelector.over(host, TransportPolicy.privilegedOnly())))
                .isInstanceOf(PrivilegedTransportUnavailableException.class);
        assertThat(host.calls().total()).isZero();
    }

    @Test
    void closeIsIdempotentAndCostsNoFurtherCalls() {
        RpciClient rpci = RpciClient.open(TransportSelector.over(host));
        rpci.close();
        long after = host.calls().total();

        rpci.close();

        assertThat(host.calls().total()).isEqualTo(after);
        assertThat(host.calls().closes()).isOne();
    }

    @Test
    void everyUseAfterCloseIsAClearErrorWithoutBackdoorCalls() {
        RpciClient rpci = RpciClient.open(TransportSelector.over(host));
        rpci.close();
        long after = host.calls().total();

        assertThatIllegalStateException().isThrownBy(() -> rpci.send("info-get guestinfo.ip"))
                .withMessageContaining("closed");
        assertThatIllegalStateException().isThrownBy(() -> rpci.call("machine.id.get"));
        assertThatIllegalStateException().isThrownBy(() -> rpci.log("late"));
        assertThatIllegalStateException().isThrownBy(() -> rpci.guestInfo().get("ip"));
        assertThatIllegalStateException().isThrownBy(() -> rpci.guestInfo().set("ip", "x"));
        assertThatIllegalStateException().isThrownBy(() -> rpci.tools().setVersion(1));

        assertThat(host.calls().total()).isEqualTo(after);
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void tryWithResourcesClosesTheChannel() {
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            rpci.guestInfo().set("ip", "10.0.0.5");
        }

        assertThat(host.openChannels()).isZero();
        assertThat(host.guestInfo().get("ip")).contains("10.0.0.5");
    }

    @Test
    void closeAfterTheHostDroppedTheChannelIsQuiet() {
        RpciClient rpci = RpciClient.open(TransportSelector.over(host));
        host.resetHost();

        rpci.close();

        assertThat(host.openChannels()).isZero();
    }

    @Test
    @Timeout(10)
    void aCommandInFlightFinishesAndItsChannelClosesWhenItEnds() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        host.rpci().handle("app.slow", args -> {
            entered.countDown();
            await(release);
            return RpciResult.ok("done");
        });
        RpciClient rpci = RpciClient.open(TransportSelector.over(host));
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> rpci.call("app.slow"));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        rpci.close();
        assertThat(host.openChannels()).isOne();                    // still carrying app.slow
        assertThatIllegalStateException().isThrownBy(() -> rpci.log("refused"));
        release.countDown();

        assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(host.openChannels()).isZero();
        assertThat(host.log()).isEmpty();
    }

    @Test
    void aHostWithoutGuestRpcFailsAtOpenNotAtTheFirstCommand() {
        SimulatedHost qemu = SimulatedHost.builder().profile(HostProfile.QEMU).build();

        assertThatThrownBy(() -> RpciClient.open(TransportSelector.over(qemu)))
                .isInstanceOfSatisfying(RpcOpenException.class,
                        e -> assertThat(e.isGuestRpcUnavailable()).isTrue());
    }

    @Test
    void optionsRejectAChannelBoundOutsideTheHostsTable() {
        assertThatThrownBy(() -> RpciOptions.defaults().withMaxChannels(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RpciOptions.defaults().withMaxChannels(129))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RpciOptions.defaults().maxChannels()).isOne();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("test did not release the handler");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
