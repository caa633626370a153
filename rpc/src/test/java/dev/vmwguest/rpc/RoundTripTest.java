package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.HostHighBandwidthMode;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Messages survive the channel byte for byte, over both payload paths, at the
 * sizes where the low-bandwidth packing changes (0, 1-3 byte tails, whole
 * words) and at the 64 KiB host limit.
 */
class RoundTripTest {

    /** How the payload path is chosen: by the host's offer, by our policy, or by the host refusing. */
    enum Path {
        HIGH_BANDWIDTH(HostHighBandwidthMode.OFFERED, HighBandwidthPolicy.AUTO),
        POLICY_NEVER(HostHighBandwidthMode.OFFERED, HighBandwidthPolicy.NEVER),
        HOST_LOW_BANDWIDTH_ONLY(HostHighBandwidthMode.LOW_BANDWIDTH_ONLY, HighBandwidthPolicy.AUTO),
        HOST_STRICT_LOW_BANDWIDTH(HostHighBandwidthMode.STRICT_LOW_BANDWIDTH, HighBandwidthPolicy.AUTO),
        HOST_ENCRYPTED_MEMORY(HostHighBandwidthMode.ENCRYPTED_MEMORY, HighBandwidthPolicy.AUTO);

        final HostHighBandwidthMode hostMode;
        final HighBandwidthPolicy policy;

        Path(HostHighBandwidthMode hostMode, HighBandwidthPolicy policy) {
            this.hostMode = hostMode;
            this.policy = policy;
        }

        boolean highBandwidth() {
            return this == HIGH_BANDWIDTH;
        }
    }

    private static final int[] SIZES = {0, 1, 2, 3, 4, 5, 7, 8, 1023, 1024, 1025, 65_536};
    /** The echo request wraps the payload, so the 64 KiB payload needs room for its 6 bytes of command. */
    private static final int LIMIT = 65_536 + Echo.OVERHEAD;

    static Stream<Arguments> pathsAndSizes() {
        return Arrays.stream(Path.values())
                .flatMap(path -> IntStream.of(SIZES).mapToObj(size -> Arguments.of(path, size)));
    }

    private static SimulatedHost host(Path path) {
        return Echo.on(SimulatedHost.builder().highBandwidth(path.hostMode).maxGuestMessage(LIMIT)
                .transcript(false).build());
    }

    private static RpcChannel open(SimulatedHost host, Path path) {
        if (path.highBandwidth()) {
            // On a SEV/TDX build machine AUTO means low bandwidth; the high-bandwidth rows do not apply there.
            assumeTrue(HighBandwidthPolicy.AUTO.permitsHighBandwidth(), "this guest's memory is encrypted");
        }
        return RpcChannel.open(host, RpcProtocol.RPCI, RpcChannelOptions.defaults()
                .withHighBandwidth(path.policy).withMaxSendSize(LIMIT));
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("pathsAndSizes")
    void aPayloadComesBackByteForByte(Path path, int size) {
        SimulatedHost host = host(path);
        byte[] payload = Echo.payload(size);

        try (RpcChannel channel = open(host, path)) {
            assertThat(channel.call(Echo.request(payload))).isEqualTo(payload);
        }

        assertThat(host.calls().bytesToHost()).isEqualTo(size + Echo.OVERHEAD);
        assertThat(host.calls().bytesToGuest()).isEqualTo(size);
        assertThat(host.calls().highBandwidthOut()).isEqualTo(path.highBandwidth() ? 1 : 0);
        assertThat(host.calls().highBandwidthIn()).isEqualTo(path.highBandwidth() && size > 0 ? 1 : 0);
        assertThat(host.calls().violations()).isZero();
        assertThat(host.openChannels()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void manyMessagesOfRandomSizesShareOneChannel(Path path) {
        SimulatedHost host = host(path);
        Random sizes = new Random(42);

        try (RpcChannel channel = open(host, path)) {
            for (int i = 0; i < 200; i++) {
                byte[] payload = Echo.payload(sizes.nextInt(300));
                assertThat(channel.call(Echo.request(payload))).as("message %d", i).isEqualTo(payload);
            }
            assertThat(channel.isOpen()).isTrue();
        }

        assertThat(host.calls().opens()).isEqualTo(1);
        assertThat(host.calls().violations()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Path.class, names = {"HIGH_BANDWIDTH", "POLICY_NEVER"})
    void aByteBufferIsSentFromItsPositionToItsLimitAndLeftAsItWas(Path path) {
        SimulatedHost host = host(path);
        byte[] payload = Echo.payload(13);
        byte[] request = Echo.request(payload);
        for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(request.length + 9),
                ByteBuffer.allocateDirect(request.length + 9)}) {
            buffer.position(5).put(request).flip().position(5);

            try (RpcChannel channel = open(host, path)) {
                channel.send(buffer);
                assertThat(channel.receive()).as(buffer.isDirect() ? "direct" : "heap").hasValueSatisfying(
                        reply -> assertThat(reply).isEqualTo(payload));
            }

            assertThat(buffer.position()).isEqualTo(5);
            assertThat(buffer.limit()).isEqualTo(5 + request.length);
        }
        assertThat(host.calls().violations()).isZero();
    }

    @Test
    void aRequestOfExactly64KiBPassesTheDefaultLimitsOnBothSides() {
        SimulatedHost host = SimulatedHost.builder().transcript(false).build();
        host.rpci().handle("size", args -> RpciResult.ok(Integer.toString(args.length)));
        byte[] request = new byte[RpcChannelOptions.DEFAULT_MAX_SEND_SIZE];
        Arrays.fill(request, (byte) 'z');
        System.arraycopy("size ".getBytes(StandardCharsets.US_ASCII), 0, request, 0, 5);

        try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI, RpcChannelOptions.defaults()
                .withHighBandwidth(HighBandwidthPolicy.NEVER))) {
            assertThat(channel.call(request)).asString(StandardCharsets.US_ASCII).isEqualTo("1 " + (65_536 - 5));
        }

        assertThat(host.calls().violations()).isZero();
    }
}
