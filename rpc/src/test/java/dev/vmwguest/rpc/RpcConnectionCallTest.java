package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import java.util.ArrayDeque;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RpcConnection#call}: one request, one reply, and a failure that says
 * whether the host may have the request (what a client needs to decide a resend).
 */
class RpcConnectionCallTest {

    private static final byte[] PAYLOAD = {'a', 'b', 'c', 'd', 'e'};

    /** A connection answering from a queue: empty means "no reply ready". */
    private static final class QueuedConnection implements RpcConnection {
        final ArrayDeque<byte[]> replies = new ArrayDeque<>();
        final ArrayDeque<byte[]> sent = new ArrayDeque<>();
        RpcException sendFailure;
        boolean open = true;

        @Override
        public void send(byte[] message) {
            if (sendFailure != null) {
                throw sendFailure;
            }
            sent.add(message);
        }

        @Override
        public Optional<byte[]> receive() {
            return Optional.ofNullable(replies.poll());
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public TransportKind transport() {
            return TransportKind.VSOCK;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @Test
    void theDefaultCallSendsThenReturnsTheReply() {
        QueuedConnection connection = new QueuedConnection();
        connection.replies.add(new byte[] {'1', ' '});

        assertThat(connection.call(PAYLOAD)).containsExactly('1', ' ');
        assertThat(connection.sent).containsExactly(PAYLOAD);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aMissingReplyIsATypedErrorAndClosesTheConnection() {
        QueuedConnection connection = new QueuedConnection();

        RpcProtocolException e = catchThrowableOfType(RpcProtocolException.class, () -> connection.call(PAYLOAD));

        assertThat(e).hasMessageContaining("no reply ready").hasMessageContaining("vsock");
        assertThat(e.requestMayBeDelivered()).isTrue();
        assertThat(connection.isOpen()).as("a late reply must not answer the next request").isFalse();
    }

    @Test
    void aFailureWhileSendingSaysTheRequestWasNotDelivered() {
        QueuedConnection connection = new QueuedConnection();
        connection.sendFailure = new RpcException("socket reset");

        RpcException e = catchThrowableOfType(RpcException.class, () -> connection.call(PAYLOAD));

        assertThat(e.requestMayBeDelivered()).isFalse();
    }

    @Test
    void anExceptionNotThrownByCallMayHaveBeenDelivered() {
        assertThat(new RpcException("anything").requestMayBeDelivered()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"SEND_SIZE", "SEND_PAYLOAD", "RECEIVE_SIZE", "RECEIVE_PAYLOAD",
        "RECEIVE_STATUS"})
    void aChannelFailureSaysWhetherTheHostHadTheWholeRequest(MessageType step) {
        SimulatedHost host = Echo.on(SimulatedHost.create());
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);
        host.faults().closeChannelOn(step);

        RpcChannelClosedException e = catchThrowableOfType(RpcChannelClosedException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        boolean whileSending = step == MessageType.SEND_SIZE || step == MessageType.SEND_PAYLOAD;
        assertThat(e.requestMayBeDelivered()).isEqualTo(!whileSending);
    }

    @Test
    void aRequestOverTheSendLimitIsNotDelivered() {
        SimulatedHost host = Echo.on(SimulatedHost.create());
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI,
                RpcChannelOptions.defaults().withMaxSendSize(4));

        RpcMessageTooLargeException e = catchThrowableOfType(RpcMessageTooLargeException.class,
                () -> channel.call(PAYLOAD));

        assertThat(e.requestMayBeDelivered()).isFalse();
        assertThat(channel.isOpen()).isTrue();
    }
}
