package dev.vmwguest.rpc;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmwguest.hostsim.CookieMode;
import dev.vmwguest.hostsim.HostProfile;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Opening (and failing to), closing, and what a closed channel does. */
class ChannelLifecycleTest {

    private static final byte[] LOG = "log hello".getBytes(US_ASCII);

    private final SimulatedHost host = SimulatedHost.create();

    @ParameterizedTest
    @EnumSource(RpcProtocol.class)
    void eachProtocolOpensWithCookiesAndClosesBackToZero(RpcProtocol protocol) {
        RpcChannel channel = RpcChannel.open(host, protocol);

        assertThat(channel.protocol()).isEqualTo(protocol);
        assertThat(channel.hasCookies()).isTrue();
        assertThat(channel.isOpen()).isTrue();
        assertThat(host.openChannels()).isEqualTo(1);

        channel.close();

        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().closes()).isEqualTo(1);
        assertThat(host.calls().violations()).isZero();
    }

    @Test
    void aRefusingHostGivesARetryableOpenExceptionAfterTheCookielessFallback() {
        host.faults().refuseOpens(true);

        RpcOpenException e = catchThrowableOfType(RpcOpenException.class,
                () -> RpcChannel.open(host, RpcProtocol.RPCI));

        assertThat(e.isGuestRpcUnavailable()).isFalse();
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.status() & MessageStatus.SUCCESS).isZero();
        assertThat(host.calls().of(MessageType.OPEN)).as("with, then without cookies").isEqualTo(2);
        assertThat(host.calls().total()).isEqualTo(2);
        assertThat(host.openChannels()).isZero();

        host.faults().refuseOpens(false);
        RpcChannel.open(host, RpcProtocol.RPCI).close();
    }

    @Test
    void aHostWithoutGuestRpcIsReportedAsSuchAfterOneCall() {
        SimulatedHost qemu = SimulatedHost.builder().profile(HostProfile.QEMU).build();

        RpcOpenException e = catchThrowableOfType(RpcOpenException.class,
                () -> RpcChannel.open(qemu, RpcProtocol.RPCI));

        assertThat(e.isGuestRpcUnavailable()).isTrue();
        assertThat(e.isRetryable()).isFalse();
        assertThat(e).hasMessageContaining("no GuestRPC");
        assertThat(qemu.calls().total()).isEqualTo(1);
    }

    @Test
    void anOldHostHasEightChannelsAndTheNinthOpenFailsUntilOneIsClosed() {
        SimulatedHost old = SimulatedHost.builder().profile(HostProfile.OLD_ESX).build();
        List<RpcChannel> channels = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            channels.add(RpcChannel.open(old, RpcProtocol.RPCI));
        }
        assertThat(old.openChannels()).isEqualTo(8);
        assertThat(channels).extracting(RpcChannel::id).doesNotHaveDuplicates();

        assertThatThrownBy(() -> RpcChannel.open(old, RpcProtocol.TCLO)).isInstanceOfSatisfying(
                RpcOpenException.class, e -> assertThat(e.isRetryable()).isTrue());

        channels.remove(3).close();
        channels.add(RpcChannel.open(old, RpcProtocol.TCLO));
        assertThat(old.openChannels()).isEqualTo(8);
        channels.forEach(RpcChannel::close);
        assertThat(old.openChannels()).isZero();
    }

    @Test
    void aCurrentHostHas128Channels() {
        List<RpcChannel> channels = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            channels.add(RpcChannel.open(host, RpcProtocol.RPCI));
        }

        assertThatThrownBy(() -> RpcChannel.open(host, RpcProtocol.RPCI)).isInstanceOf(RpcOpenException.class);

        channels.forEach(RpcChannel::close);
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void openingAndClosingManyTimesLeaksNothingOnAnEightChannelHost() {
        SimulatedHost old = SimulatedHost.builder().profile(HostProfile.OLD_ESX).transcript(false).build();

        for (int i = 0; i < 1_000; i++) {
            try (RpcChannel channel = RpcChannel.open(old, RpcProtocol.RPCI)) {
                channel.call(LOG);
            }
        }

        assertThat(old.openChannels()).isZero();
        assertThat(old.calls().opens()).isEqualTo(1_000);
        assertThat(old.calls().closes()).isEqualTo(1_000);
    }

    @Test
    void aClosedChannelRefusesEveryOperationWithoutTouchingTheHost() {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);
        channel.close();
        long before = host.calls().total();

        assertThatThrownBy(() -> channel.send(LOG)).isInstanceOfSatisfying(RpcChannelClosedException.class,
                e -> assertThat(e.step()).isEqualTo(MessageStep.SEND_SIZE)).hasMessageContaining("was closed");
        assertThatThrownBy(channel::receive).isInstanceOfSatisfying(RpcChannelClosedException.class,
                e -> assertThat(e.step()).isEqualTo(MessageStep.RECEIVE_SIZE));
        assertThatThrownBy(() -> channel.call(LOG)).isInstanceOf(RpcChannelClosedException.class);
        channel.close();

        assertThat(host.calls().total()).isEqualTo(before);
    }

    @Test
    void aFailedChannelWithoutCookiesIsClosedOnTheHostAsOpenVmToolsDoes() {
        // Left open, the slot would be lost to every process in the VM (8 on old hosts); open-vm-tools closes too.
        SimulatedHost old = SimulatedHost.builder().cookies(CookieMode.UNSUPPORTED).build();
        RpcChannel channel = RpcChannel.open(old, RpcProtocol.RPCI);
        old.faults().noReplyOnce();

        assertThatThrownBy(() -> channel.call(LOG)).isInstanceOf(RpcProtocolException.class);
        channel.close();

        assertThat(old.calls().of(MessageType.CLOSE)).isOne();
        assertThat(old.openChannels()).isZero();
    }

    @Test
    void nullArgumentsAreRejectedBeforeAnyCall() {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI);
        long before = host.calls().total();

        assertThatNullPointerException().isThrownBy(() -> RpcChannel.open(null, RpcProtocol.RPCI));
        assertThatNullPointerException().isThrownBy(() -> RpcChannel.open(host, null));
        assertThatNullPointerException().isThrownBy(() -> RpcChannel.open(host, RpcProtocol.RPCI, null));
        assertThatNullPointerException().isThrownBy(() -> channel.send((byte[]) null));
        assertThatNullPointerException().isThrownBy(() -> channel.send((java.nio.ByteBuffer) null));

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(channel.isOpen()).isTrue();
        channel.close();
    }

    @Test
    void optionsRejectNegativeLimits() {
        RpcChannelOptions defaults = RpcChannelOptions.defaults();

        assertThatThrownBy(() -> defaults.withMaxSendSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxReceiveSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withCheckpointRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.maxSendSize()).isEqualTo(65_536);
        assertThat(defaults.maxReceiveSize()).isEqualTo(1 << 20);
        assertThat(defaults.checkpointRetries()).isEqualTo(3);
    }
}
