package dev.vmwguest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.RegisterFrame;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.HighBandwidthPolicy;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client-only figures are only as good as the replay: it must answer exactly what the host did. */
class ReplayBackdoorTest {

    @ParameterizedTest
    @EnumSource(HighBandwidthPolicy.class)
    void aReplayedRoundTripGivesTheHostsReplyWithoutCallingTheHost(HighBandwidthPolicy policy) {
        SimulatedHost host = BenchHosts.zeroCostWithEcho();
        ReplayBackdoor replay = new ReplayBackdoor(host);
        RpcChannel channel = RpcChannel.open(replay, RpcProtocol.RPCI,
                RpcChannelOptions.defaults().withHighBandwidth(policy));
        byte[] request = BenchHosts.echoRequest(1024);
        byte[] expected = channel.call(request);
        replay.restartRecording();
        channel.call(request);
        replay.replay();
        host.calls().reset();

        for (int i = 0; i < 3; i++) {
            assertThat(channel.call(request)).isEqualTo(expected);
        }

        assertThat(new String(expected, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("1 ");
        assertThat(expected).hasSize(1024 - 3);
        assertThat(host.calls().total()).isZero();
    }

    @Test
    void aClientThatLeavesTheRecordedPathIsStoppedLoudly() {
        SimulatedHost host = BenchHosts.zeroCostWithEcho();
        ReplayBackdoor replay = new ReplayBackdoor(host);
        RpcChannel channel = RpcChannel.open(replay, RpcProtocol.RPCI);
        replay.restartRecording();
        channel.call(BenchHosts.echoRequest(16));
        replay.replay();

        // A high-bandwidth round trip starts with SEND_SIZE (a call), then a send: a receive first is out of step.
        assertThatThrownBy(() -> replay.receive(new RegisterFrame(),
                ByteBuffer.allocate(4)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("out of step");
    }

    @Test
    void replayingNothingIsRefused() {
        assertThatThrownBy(() -> new ReplayBackdoor(BenchHosts.zeroCostWithEcho()).replay())
                .isInstanceOf(IllegalStateException.class);
    }
}
