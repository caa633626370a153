package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A channel gives its slot in the host's table back: after checkpoints on CLOSE and after any failure. */
class ChannelReleaseTest {

    private static final byte[] PAYLOAD = {'a', 'b', 'c', 'd', 'e'};

    private final SimulatedHost host = Echo.on(SimulatedHost.create());

    @Test
    void aCheckpointOnCloseIsAnsweredWithASecondCloseAndTheSlotIsFreed() {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);
        assertThat(host.openChannels()).isOne();
        host.faults().checkpointOnce(MessageType.CLOSE);

        channel.close();

        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().of(MessageType.CLOSE)).isEqualTo(2);
        assertThat(host.faults().pending()).isEmpty();
    }

    @Test
    void aHostThatCheckpointsEveryCloseGetsTheMessageStepsBoundNeverAHang() {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI,
                RpcChannelOptions.defaults().withCheckpointRetries(2));
        host.faults().checkpoint(MessageType.CLOSE, 10);

        channel.close();

        assertThat(host.calls().of(MessageType.CLOSE)).as("the first CLOSE and two more").isEqualTo(3);
        assertThat(channel.isOpen()).isFalse();
        host.faults().clear();
    }

    @Test
    void aChannelAbandonedAfterAFailureRetriesItsCloseAfterACheckpointToo() {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);
        host.faults().statusOnce(MessageType.SEND_SIZE, MessageStatus.TIMEOUT).checkpointOnce(MessageType.CLOSE);

        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isInstanceOf(RpcException.class);

        assertThat(channel.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void anUntypedExceptionInsideAMessageStepAbandonsTheChannelAndFreesItsSlot() {
        FailingBackdoor backdoor = new FailingBackdoor(host);
        RpcChannel channel = RpcChannel.open(backdoor, RpcProtocol.RPCI);
        backdoor.failNextCall = true;

        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isSameAs(backdoor.failure);

        assertThat(channel.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
        assertThatThrownBy(() -> channel.call(Echo.request(PAYLOAD))).isInstanceOf(RpcChannelClosedException.class);
    }

    @Test
    void sizeLimitsAChannelCannotHoldAreRefusedWhenTheOptionsAreBuilt() {
        RpcChannelOptions defaults = RpcChannelOptions.defaults();

        assertThatThrownBy(() -> defaults.withMaxReceiveSize(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReceiveSize")
                .hasMessageContaining(String.valueOf(RpcChannelOptions.MAX_MESSAGE_SIZE));
        assertThatThrownBy(() -> defaults.withMaxSendSize(RpcChannelOptions.MAX_MESSAGE_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSendSize");
        assertThat(defaults.withMaxReceiveSize(RpcChannelOptions.MAX_MESSAGE_SIZE).maxReceiveSize())
                .isEqualTo(1 << 30);
    }

    @Test
    void aHugeAnnouncedLengthUnderTheHighestLimitIsATypedErrorAndTheChannelIsReturned() {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI,
                RpcChannelOptions.defaults().withMaxReceiveSize(RpcChannelOptions.MAX_MESSAGE_SIZE));
        host.faults().announceReplyLength(0x4000_0001L);

        RpcMessageTooLargeException e = catchThrowableOfType(RpcMessageTooLargeException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e.size()).isEqualTo(0x4000_0001L);
        assertThat(channel.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void aLengthWithinTheLimitThatTheJvmCannotAllocateIsATypedErrorNotAnError() {
        // The test JVM runs with -XX:MaxDirectMemorySize=64m (rpc/pom.xml), so 1 GiB cannot be had.
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI,
                RpcChannelOptions.defaults().withMaxReceiveSize(RpcChannelOptions.MAX_MESSAGE_SIZE));
        host.faults().announceReplyLength(RpcChannelOptions.MAX_MESSAGE_SIZE);

        RpcMessageTooLargeException e = catchThrowableOfType(RpcMessageTooLargeException.class,
                () -> channel.call(Echo.request(PAYLOAD)));

        assertThat(e).hasCauseInstanceOf(OutOfMemoryError.class).hasMessageContaining("could allocate");
        assertThat(e.size()).isEqualTo(RpcChannelOptions.MAX_MESSAGE_SIZE);
        assertThat(channel.isOpen()).isFalse();
        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().violations()).isZero();
    }

    /** Passes calls to a host; throws an untyped exception on the next call when told to. */
    private static final class FailingBackdoor implements Backdoor {
        final IllegalStateException failure = new IllegalStateException("backdoor broke");
        final Backdoor host;
        boolean failNextCall;

        FailingBackdoor(Backdoor host) {
            this.host = host;
        }

        @Override
        public void call(RegisterFrame frame) {
            if (failNextCall) {
                failNextCall = false;
                throw failure;
            }
            host.call(frame);
        }

        @Override
        public void send(RegisterFrame frame, ByteBuffer source) {
            host.send(frame, source);
        }

        @Override
        public void receive(RegisterFrame frame, ByteBuffer target) {
            host.receive(frame, target);
        }

        @Override
        public BackdoorMechanism mechanism() {
            return host.mechanism();
        }
    }
}
