package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checkpoints (snapshot, suspend, vMotion) in the middle of a message: on the
 * payload and status steps they restart the message, at most
 * {@link RpcChannelOptions#checkpointRetries()} times; on the size steps a
 * missing SUCCESS is a hard failure even with the checkpoint bit
 * (guestrpc-channel.md section 3, open-vm-tools' message.c).
 *
 * <p>The message: a 10-byte request ({@code echo abcd!}, 3 words) and a 4-byte
 * reply (1 word), so a round trip is 5 calls over high bandwidth and
 * 3 + 3 + 1 = 7 over low bandwidth.
 */
class CheckpointTest {

    private static final byte[] PAYLOAD = {'a', 'b', 'c', 'd'};

    private final SimulatedHost host = Echo.on(SimulatedHost.create());

    private RpcChannel open(boolean highBandwidth, int retries) {
        if (highBandwidth) {
            assumeTrue(HighBandwidthPolicy.AUTO.permitsHighBandwidth(), "this guest's memory is encrypted");
        }
        return RpcChannel.open(host, RpcProtocol.RPCI, RpcChannelOptions.defaults().withCheckpointRetries(retries)
                .withHighBandwidth(highBandwidth ? HighBandwidthPolicy.AUTO : HighBandwidthPolicy.NEVER));
    }

    @ParameterizedTest(name = "{0}, high bandwidth {1}: {2} calls")
    @CsvSource({
        // The restart repeats the direction's size step and everything up to the failed call.
        "SEND_PAYLOAD,   true,  7",    // SEND_SIZE, rep outsb (CPT), then the 5 calls
        "RECEIVE_PAYLOAD, true, 7",    // ..., RECEIVE_SIZE, rep insb (CPT), RECEIVE_SIZE, rep insb, RECEIVE_STATUS
        "RECEIVE_STATUS, true,  8",    // ..., RECEIVE_SIZE, rep insb, RECEIVE_STATUS (CPT), and again
        "SEND_PAYLOAD,   false, 9",    // SEND_SIZE, first word (CPT), then the 7 calls
        "RECEIVE_PAYLOAD, false, 9",
        "RECEIVE_STATUS, false, 10",
    })
    void oneCheckpointOnAPayloadOrStatusStepRestartsTheMessageInvisibly(MessageType step, boolean highBandwidth,
            int calls) {
        host.faults().checkpointOnce(step);

        try (RpcChannel channel = open(highBandwidth, RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES)) {
            long before = host.calls().total();
            assertThat(channel.call(Echo.request(PAYLOAD))).isEqualTo(PAYLOAD);
            assertThat(host.calls().total() - before).isEqualTo(calls);
            assertThat(channel.isOpen()).isTrue();
        }

        assertThat(host.faults().pending()).isEmpty();
        assertThat(host.calls().checkpointsServed()).isEqualTo(1);
        MessageType sizeStep = step == MessageType.SEND_PAYLOAD ? MessageType.SEND_SIZE : MessageType.RECEIVE_SIZE;
        assertThat(host.calls().of(sizeStep)).as("the restart began at " + sizeStep).isEqualTo(2);
        assertThat(host.calls().violations()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"SEND_PAYLOAD", "RECEIVE_PAYLOAD", "RECEIVE_STATUS"})
    void asManyCheckpointsAsTheRetryBoundAreSurvived(MessageType step) {
        host.faults().checkpoint(step, RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES);

        try (RpcChannel channel = open(true, RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES)) {
            assertThat(channel.call(Echo.request(PAYLOAD))).isEqualTo(PAYLOAD);
        }

        assertThat(host.calls().checkpointsServed()).isEqualTo(3);
        assertThat(host.faults().pending()).isEmpty();
    }

    @ParameterizedTest(name = "{0}, high bandwidth {1}")
    @CsvSource({
        "SEND_PAYLOAD,    true,  SEND_PAYLOAD_HIGH_BANDWIDTH",
        "RECEIVE_PAYLOAD, true,  RECEIVE_PAYLOAD_HIGH_BANDWIDTH",
        "RECEIVE_STATUS,  true,  RECEIVE_STATUS",
        "SEND_PAYLOAD,    false, SEND_PAYLOAD",
        "RECEIVE_PAYLOAD, false, RECEIVE_PAYLOAD",
        "RECEIVE_STATUS,  false, RECEIVE_STATUS",
    })
    void oneCheckpointMoreThanTheBoundFailsWithATypedErrorInsteadOfHanging(MessageType step, boolean highBandwidth,
            MessageStep failed) {
        host.faults().checkpoint(step, RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES + 1);

        RpcChannel channel = open(highBandwidth, RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES);
        RpcCheckpointException e = catchThrowableOfType(RpcCheckpointException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.step()).isEqualTo(failed);
        assertThat(e.status() & MessageStatus.CHECKPOINT).isNotZero();
        assertThat(e.channelId()).isEqualTo(channel.id());
        assertThat(e.isRetryable()).isTrue();
        assertThat(channel.isOpen()).isFalse();
        assertThat(host.calls().checkpointsServed()).isEqualTo(4);
        assertThat(host.openChannels()).as("closed best-effort").isZero();
        assertThat(host.calls().violations()).isZero();
        channel.close();
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"SEND_PAYLOAD", "RECEIVE_STATUS"})
    void withNoRetriesAllowedTheFirstCheckpointFails(MessageType step) {
        host.faults().checkpointOnce(step);

        try (RpcChannel channel = open(true, 0)) {
            RpcCheckpointException e = catchThrowableOfType(RpcCheckpointException.class,
                    () -> channel.call(Echo.request(PAYLOAD)));
            assertThat(e.attempts()).isEqualTo(1);
        }
        assertThat(host.openChannels()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"SEND_SIZE", "RECEIVE_SIZE"})
    void aCheckpointBitOnASizeStepIsAHardFailureWithoutRetry(MessageType step) {
        host.faults().checkpointOnce(step);

        RpcChannel channel = open(true, RpcChannelOptions.DEFAULT_CHECKPOINT_RETRIES);
        RpcStepException e = catchThrowableOfType(RpcStepException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e).isInstanceOf(RpcStatusException.class).hasMessageContaining("checkpointed");
        assertThat(e.step().code()).isEqualTo(step.code());
        assertThat(e.status()).isEqualTo(MessageStatus.CHECKPOINT);
        assertThat(host.calls().of(step)).as("no retry").isEqualTo(1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
    }
}
