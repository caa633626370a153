package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures in the middle of a message, each with its typed exception; after
 * every one the channel is dead, later use fails without a backdoor call, and
 * (cookies given) the host has the channel back. Runs on the default path of
 * {@link RpcChannelOptions#defaults()}, high bandwidth where this guest allows it.
 */
class MessageFailureTest {

    private static final byte[] PAYLOAD = {'a', 'b', 'c', 'd', 'e'};

    private final SimulatedHost host = Echo.on(SimulatedHost.create());
    private final RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);

    /** The channel is dead, gone from the host, and refuses further use before touching the backdoor. */
    private void assertDeadAndReturned() {
        assertThat(channel.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
        long before = host.calls().total();
        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isInstanceOf(RpcChannelClosedException.class)
                .hasMessageContaining("an earlier failure closed this channel");
        assertThat(host.calls().total()).isEqualTo(before);
        channel.close();
        assertThat(host.calls().total()).as("close of a dead channel").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"SEND_SIZE", "SEND_PAYLOAD", "RECEIVE_SIZE", "RECEIVE_PAYLOAD",
        "RECEIVE_STATUS"})
    void aChannelTheHostClosesMidMessageFailsWithChannelClosed(MessageType step) {
        host.faults().closeChannelOn(step);

        RpcChannelClosedException e = catchThrowableOfType(RpcChannelClosedException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e.step().code()).isEqualTo(step.code());
        assertThat(e.channelId()).isEqualTo(channel.id());
        assertThat(e.isRetryable()).as("a new channel may work").isTrue();
        assertThat(host.faults().pending()).isEmpty();
        assertDeadAndReturned();
    }

    @Test
    void aHostThatReportsClosedSetsTheClosedBitInTheException() {
        SimulatedHost reporting = SimulatedHost.builder().reportClosed(true).build();
        RpcChannel closing = RpcChannel.open(reporting, RpcProtocol.RPCI);
        reporting.faults().closeChannelOn(MessageType.SEND_SIZE);

        assertThatThrownBy(() -> closing.send(PAYLOAD)).isInstanceOfSatisfying(RpcChannelClosedException.class,
                e -> assertThat(e.status()).isEqualTo(MessageStatus.CLOSED));
    }

    @Test
    void aHostResetKillsTheChannelAndTheNextMessageSaysSo() {
        host.resetHost();

        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isInstanceOfSatisfying(
                RpcChannelClosedException.class, e -> assertThat(e.step()).isEqualTo(MessageStep.SEND_SIZE));
        assertDeadAndReturned();
    }

    @Test
    void aFailedCloseIsSwallowed() {
        host.faults().closeChannelOn(MessageType.CLOSE);

        assertThatCode(channel::close).doesNotThrowAnyException();
        assertThat(host.openChannels()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {RpcChannelOptions.DEFAULT_MAX_RECEIVE_SIZE + 1L, 0xFFFF_FFFFL})
    void anAnnouncedReplyOverTheLimitIsRejectedBeforeAllocating(long announced) {
        host.faults().announceReplyLength(announced);

        RpcMessageTooLargeException e = catchThrowableOfType(RpcMessageTooLargeException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e.size()).isEqualTo(announced);
        assertThat(e.limit()).isEqualTo(RpcChannelOptions.DEFAULT_MAX_RECEIVE_SIZE);
        // The error-ack of section 4.8 tells the host to drop it; no payload was fetched.
        assertThat(host.calls().of(MessageType.RECEIVE_PAYLOAD)).isEqualTo(1);
        assertThat(host.calls().highBandwidthIn()).isZero();
        assertThat(host.calls().violations()).isZero();
        assertDeadAndReturned();
    }

    @Test
    void theReceiveLimitIsTheOneInTheOptions() {
        try (RpcChannel small = RpcChannel.open(host, RpcProtocol.RPCI,
                RpcChannelOptions.defaults().withMaxReceiveSize(4))) {
            assertThat(small.call(Echo.request(new byte[4]))).hasSize(4);
            assertThatThrownBy(() -> small.call(Echo.request(PAYLOAD))).isInstanceOfSatisfying(
                    RpcMessageTooLargeException.class, e -> assertThat(e.size()).isEqualTo(5));
        }
    }

    @Test
    void aHostThatAnnouncesMoreThanItHasFailsTheMessageInsteadOfPaddingIt() {
        host.faults().announceReplyLength(PAYLOAD.length + 100);

        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isInstanceOf(RpcException.class);
        assertDeadAndReturned();
    }

    @Test
    void aMessageOverTheSendLimitFailsBeforeAnyCallAndTheChannelStaysUsable() {
        long before = host.calls().total();

        RpcMessageTooLargeException e = catchThrowableOfType(RpcMessageTooLargeException.class,
                () -> channel.send(new byte[RpcChannelOptions.DEFAULT_MAX_SEND_SIZE + 1]));

        assertThat(e.size()).isEqualTo(65_537);
        assertThat(e.limit()).isEqualTo(65_536);
        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.call(Echo.request(PAYLOAD))).isEqualTo(PAYLOAD);
    }

    @Test
    void theSendLimitIsTheOneInTheOptions() {
        try (RpcChannel small = RpcChannel.open(host, RpcProtocol.RPCI,
                RpcChannelOptions.defaults().withMaxSendSize(Echo.OVERHEAD + 4))) {
            long before = host.calls().total();
            assertThatThrownBy(() -> small.call(Echo.request(PAYLOAD))).isInstanceOf(RpcMessageTooLargeException.class);
            assertThat(host.calls().total()).isEqualTo(before);
            assertThat(small.call(Echo.request(new byte[4]))).hasSize(4);
        }
    }

    @Test
    void aWrongTypeEchoIsAProtocolError() {
        host.faults().wrongEchoOnce();

        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isInstanceOf(RpcProtocolException.class)
                .hasMessageContaining("echoed type 0");
        assertThat(host.calls().violations()).isZero();
        assertDeadAndReturned();
    }

    @Test
    void aMissingReplyIsAProtocolErrorNotAnEmptyAnswer() {
        host.faults().noReplyOnce();

        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isInstanceOf(RpcProtocolException.class)
                .hasMessageContaining("no reply ready");
        assertDeadAndReturned();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "32, SEND_SIZE,      RpcStatusException,        false",   // POWEROFF: fail fast, no retry
        "32, RECEIVE_STATUS, RpcStatusException,        false",
        "64, SEND_SIZE,      RpcChannelClosedException, true",    // TIMEOUT: reopen
        "4,  RECEIVE_SIZE,   RpcChannelClosedException, true",    // CLOSED
        "0,  SEND_SIZE,      RpcChannelClosedException, true",    // a bare refusal: unknown id or cookies
    })
    void eachHostStatusBitMapsToItsException(int status, MessageType step, String type, boolean retryable) {
        host.faults().statusOnce(step, status);

        RpcStepException e = catchThrowableOfType(RpcStepException.class, () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e.getClass().getSimpleName()).isEqualTo(type);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.step().code()).isEqualTo(step.code());
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e).hasMessageContaining(MessageStatus.describe(status));
        assertThat(channel.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void unsentOnReceiveSizeReadsAsNoMessageAndLeavesTheChannelUsable() {
        host.faults().statusOnce(MessageType.RECEIVE_SIZE, MessageStatus.UNSENT);
        channel.send(Echo.request(PAYLOAD));

        assertThat(channel.receive()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        // This host kept its reply (statusOnce changes nothing else); the next receive gets it.
        assertThat(channel.receive()).hasValueSatisfying(reply -> assertThat(reply).isEqualTo(PAYLOAD));
    }

    @Test
    void aFailedHighBandwidthTransferFailsTheMessage() {
        assumeTrue(HighBandwidthPolicy.AUTO.permitsHighBandwidth(), "this guest's memory is encrypted");
        host.faults().hbCallsFail(1);

        RpcChannelClosedException e = catchThrowableOfType(RpcChannelClosedException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e.step()).isEqualTo(MessageStep.SEND_PAYLOAD_HIGH_BANDWIDTH);
        assertDeadAndReturned();
    }
}
