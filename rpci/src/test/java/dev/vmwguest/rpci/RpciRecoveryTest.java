package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannelClosedException;
import dev.vmwguest.rpc.RpcCheckpointException;
import dev.vmwguest.rpc.RpcOpenException;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One channel kept open; a new one when the host drops it; a command sent a
 * second time only when the host never got it or it is idempotent
 * ({@link RpciRequest#resendable()}), and at most once more.
 */
class RpciRecoveryTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final RpciClient rpci = RpciClient.open(TransportSelector.over(host));

    @AfterEach
    void closeClient() {
        rpci.close();
    }

    @Test
    void oneChannelCarriesEveryCommand() {
        for (int i = 0; i < 50; i++) {
            rpci.guestInfo().set("n", Integer.toString(i));
            rpci.log("line " + i);
        }

        assertThat(rpci.guestInfo().get("n")).contains("49");
        assertThat(host.calls().opens()).isOne();
        assertThat(host.calls().closes()).isZero();
        assertThat(host.openChannels()).isOne();
        assertThat(host.calls().violations()).isZero();
    }

    @Test
    void aChannelTheHostReclaimedWhileIdleIsReplacedTransparently() {
        host.faults().closeChannelOn(MessageType.SEND_SIZE);

        rpci.log("after an idle timeout");

        assertThat(host.log()).containsExactly("after an idle timeout");
        assertThat(host.calls().rpci("log")).isOne();
        assertThat(host.calls().opens()).isEqualTo(2);
        assertThat(host.openChannels()).isOne();
        assertThat(host.faults().pending()).isEmpty();
    }

    @Test
    void aHostResetIsSurvivedEvenByCommandsThatAreNeverResent() {
        rpci.guestInfo().set("ip", "10.0.0.5");
        host.resetHost();
        assertThat(host.openChannels()).isZero();

        rpci.log("after resume");
        rpci.tools().reportPowerOperation(true, PowerState.RESUME);

        assertThat(host.log()).containsExactly("after resume");
        assertThat(host.reports()).containsExactly("tools.os.statechange.status 1 4");
        assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");   // a reset keeps guest variables
        assertThat(host.calls().opens()).isEqualTo(2);
        assertThat(host.openChannels()).isOne();
    }

    @Test
    void aHostResetThatKilledSeveralPooledChannelsIsSurvivedByTheNextCommand() throws Exception {
        RpciClient pooled = RpciClient.open(TransportSelector.over(host), RpciOptions.defaults().withMaxChannels(3));
        try {
            holdChannels(pooled, 3);
            assertThat(host.openChannels()).isEqualTo(1 + 3);      // this class's client, and the pool
            host.resetHost();

            pooled.log("after vMotion");                  // the retry must not take another dead channel

            assertThat(host.log()).containsExactly("after vMotion");
            assertThat(host.openChannels()).isOne();
        } finally {
            pooled.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"SEND_SIZE", "SEND_PAYLOAD"})
    void aCommandLostOnTheWayToTheHostIsSentAgainEvenIfNotIdempotent(MessageType step) {
        host.faults().closeChannelOn(step);

        rpci.log("exactly once");

        assertThat(host.log()).containsExactly("exactly once");
        assertThat(host.calls().opens()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"RECEIVE_SIZE", "RECEIVE_PAYLOAD", "RECEIVE_STATUS"})
    void anIdempotentCommandWhoseReplyWasLostIsRepeatedOnANewChannel(MessageType step) {
        host.guestInfo().put("ip", "10.0.0.5");
        host.faults().closeChannelOn(step);

        assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");

        assertThat(host.calls().rpci("info-get")).isEqualTo(2);
        assertThat(host.calls().opens()).isEqualTo(2);
        assertThat(host.openChannels()).isOne();
        assertThat(host.faults().pending()).isEmpty();
    }

    @Test
    void anIdempotentCommandIsRepeatedOnlyOnce() {
        host.faults().closeChannelOn(MessageType.RECEIVE_SIZE).closeChannelOn(MessageType.RECEIVE_SIZE)
                .closeChannelOn(MessageType.RECEIVE_SIZE);

        assertThatThrownBy(() -> rpci.guestInfo().set("ip", "10.0.0.5"))
                .isInstanceOf(RpcChannelClosedException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(RpcChannelClosedException.class));

        assertThat(host.calls().rpci("info-set")).isEqualTo(2);
        assertThat(host.faults().pending()).containsExactly("close channel on RECEIVE_SIZE");
    }

    @Test
    void aLogLineWhoseReplyWasLostIsNotSentTwice() {
        host.faults().closeChannelOn(MessageType.RECEIVE_SIZE);

        assertThatThrownBy(() -> rpci.log("once")).isInstanceOf(RpcChannelClosedException.class);

        assertThat(host.log()).containsExactly("once");
        assertThat(host.calls().rpci("log")).isOne();
        rpci.log("next");                                          // the client itself recovered
        assertThat(host.log()).containsExactly("once", "next");
    }

    @Test
    void aPowerOperationStatusWhoseReplyWasLostIsNotSentTwice() {
        host.faults().closeChannelOn(MessageType.RECEIVE_PAYLOAD);

        assertThatThrownBy(() -> rpci.tools().reportPowerOperation(true, PowerState.HALT))
                .isInstanceOf(RpcChannelClosedException.class);

        assertThat(host.reports()).containsExactly("tools.os.statechange.status 1 1");
    }

    @Test
    void aCommandTheClientDoesNotKnowIsTreatedAsNotIdempotent() {
        AtomicInteger runs = new AtomicInteger();
        host.rpci().handle("app.charge", args -> {
            runs.incrementAndGet();
            return RpciResult.ok("");
        });
        host.faults().closeChannelOn(MessageType.RECEIVE_STATUS);

        assertThatThrownBy(() -> rpci.send("app.charge 10 EUR")).isInstanceOf(RpcChannelClosedException.class);

        assertThat(runs).hasValue(1);
        assertThat(host.calls().rpci("app.charge")).isOne();
    }

    @Test
    void checkpointsRestartTheMessageInFlightWithoutSendingTheCommandTwice() {
        host.faults().checkpointOnce(MessageType.RECEIVE_STATUS).checkpointOnce(MessageType.SEND_PAYLOAD);

        rpci.log("checkpointed twice");

        assertThat(host.log()).containsExactly("checkpointed twice");
        assertThat(host.calls().checkpointsServed()).isEqualTo(2);
        assertThat(host.calls().opens()).isOne();
        assertThat(host.faults().pending()).isEmpty();
    }

    @Test
    void checkpointsBeyondTheBoundFailALogLineButAnInfoGetIsRetriedOnANewChannel() {
        host.guestInfo().put("ip", "10.0.0.5");
        host.faults().checkpoint(MessageType.RECEIVE_STATUS, 4);     // 1 try + 3 restarts, the default bound

        assertThatThrownBy(() -> rpci.log("unlucky"))
                .isInstanceOfSatisfying(RpcCheckpointException.class, e -> assertThat(e.attempts()).isEqualTo(4));
        assertThat(host.log()).containsExactly("unlucky");

        host.faults().checkpoint(MessageType.RECEIVE_STATUS, 4);
        assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");
        assertThat(host.calls().rpci("info-get")).isEqualTo(2);
    }

    /** Makes {@code client} open {@code count} channels at once, then returns them all to its pool. */
    private void holdChannels(RpciClient client, int count) throws Exception {
        CountDownLatch inside = new CountDownLatch(count);
        CountDownLatch release = new CountDownLatch(1);
        host.rpci().handle("app.hold", args -> {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RpciResult.ok("");
        });
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(threads.submit(() -> client.call("app.hold")));
            }
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            for (Future<String> call : calls) {
                call.get(5, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            host.rpci().remove("app.hold");
        }
    }

    @Test
    void aHostThatOpensNoChannelFailsOpenAndLaterCommandsUntilItDoesAgain() {
        host.faults().refuseOpens(true);
        assertThatThrownBy(() -> RpciClient.open(TransportSelector.over(host))).isInstanceOf(RpcOpenException.class);

        host.resetHost();
        assertThatThrownBy(() -> rpci.log("lost")).isInstanceOf(RpcOpenException.class);
        assertThatThrownBy(() -> rpci.log("lost again")).isInstanceOf(RpcOpenException.class);

        host.faults().refuseOpens(false);
        rpci.log("back");
        assertThat(host.log()).containsExactly("back");
        assertThat(host.openChannels()).isOne();
    }
}
