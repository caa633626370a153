package dev.vmwguest.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcMessageTooLargeException;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.RpcProtocolException;
import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.TransportPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RPCI and pushed TCLO over one stand-in connection, including every way the host can misbehave. */
class GuestVsockConnectionTest {

    @TempDir
    Path directory;
    private FakeVsockHost host;
    private VsockTransportProvider provider;

    @BeforeEach
    void startHost() throws Exception {
        host = FakeVsockHost.start(directory);
        // Short reply timeout and heartbeat keep the tests quick; nothing asserts a duration.
        VsockSettings settings = new VsockSettings(0, 976, 975, Optional.empty(), false,
                VsockSettings.KERNEL_CONNECT_TIMEOUT, Duration.ofMillis(500), Duration.ofMillis(50));
        provider = VsockTransportProvider.standIn(GuestVsockStandIn.in(directory), settings);
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    private RpcConnection rpci() {
        return provider.open(TransportKind.VSOCK_PRIVILEGED, RpcProtocol.RPCI, TransportPolicy.defaults(),
                RpcChannelOptions.defaults());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anRpciRequestIsOneDataPacketWithoutFastCloseAndTheReplyIsItsPayload() {
        host.rpciReply = request -> FakeVsockHost.packet("1 pong");
        try (RpcConnection connection = rpci()) {
            connection.send(ascii("ping"));

            assertThat(connection.receive()).get().isEqualTo(ascii("1 pong"));
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.hostPushes()).isFalse();
        }
        FakeVsockHost.Received request = host.rpci.get(0);
        assertThat(request.socket()).isEqualTo("976-privileged.sock");
        assertThat(request.packet()).isEqualTo(GuestRpcPacket.data(ascii("ping"), false));
    }

    @Test
    void oneConnectionCarriesRequestAfterRequest() {
        try (RpcConnection connection = rpci()) {
            for (int i = 0; i < 20; i++) {
                connection.send(ascii("info-get guestinfo.n" + i));
                assertThat(connection.receive()).get().isEqualTo(ascii("1 info-get guestinfo.n" + i));
            }
        }
        assertThat(host.connections).hasSize(1);
    }

    @Test
    void aReplyWithTypeAndPayloadIsReadToo() {
        host.rpciReply = request -> FakeVsockHost.raw(Hex.bytes(
                "00000001 00000001 00000001 00000000 00000002 00000002 00000002 3120"));
        try (RpcConnection connection = rpci()) {
            connection.send(ascii("x"));
            assertThat(connection.receive()).get().isEqualTo(ascii("1 "));
        }
    }

    @Test
    void anAnnouncedLengthOverTheLimitIsRefusedBeforeAllocatingAndClosesTheConnection() {
        host.rpciReply = request -> Hex.bytes("7fffffff");
        RpcConnection connection = rpci();
        connection.send(ascii("x"));

        assertThatThrownBy(connection::receive).isInstanceOfSatisfying(RpcMessageTooLargeException.class, e -> {
            assertThat(e.size()).isEqualTo(0x7fff_ffffL);
            assertThat(e.limit()).isEqualTo(RpcChannelOptions.DEFAULT_MAX_RECEIVE_SIZE);
        });
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aMalformedReplyIsATypedErrorAndClosesTheConnection() {
        host.rpciReply = request -> FakeVsockHost.raw(Hex.bytes("00000009 00000002 00000001 41"));
        RpcConnection connection = rpci();
        connection.send(ascii("x"));

        assertThatThrownBy(connection::receive).isInstanceOf(DataMapFormatException.class)
                .hasMessageContaining("unknown entry type 9");
        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.send(ascii("y"))).isInstanceOf(VsockConnectionException.class);
    }

    @Test
    void aReplyWithoutPayloadIsAProtocolErrorNotAnEmptyReply() {
        host.rpciReply = request -> FakeVsockHost.raw(Hex.bytes("00000001 00000001 00000001 00000000"));
        RpcConnection connection = rpci();
        connection.send(ascii("x"));

        assertThatThrownBy(connection::receive).isInstanceOf(RpcProtocolException.class)
                .hasMessageContaining("no payload");
    }

    @Test
    void theHostClosingInTheMiddleOfAPacketIsARetryableConnectionFailure() {
        host.rpciReply = request -> {
            throw new IllegalStateException("host drops the connection");
        };
        RpcConnection connection = rpci();
        connection.send(ascii("x"));

        assertThatThrownBy(connection::receive).isInstanceOfSatisfying(VsockConnectionException.class,
                e -> assertThat(e.isRetryable()).isTrue()).hasMessageContaining("closed");
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aReplyThatNeverComesEndsInATimeoutNotAHang() {
        host.rpciReply = request -> new byte[0];
        RpcConnection connection = rpci();
        connection.send(ascii("x"));

        assertThatThrownBy(connection::receive).isInstanceOf(VsockConnectionException.class)
                .hasMessageContaining("no RPCI reply within 500 ms");
    }

    @Test
    void aRequestOverTheSendLimitIsRefusedBeforeWriting() {
        try (RpcConnection connection = rpci()) {
            assertThatThrownBy(() -> connection.send(new byte[65_537]))
                    .isInstanceOf(RpcMessageTooLargeException.class);
            assertThat(connection.isOpen()).isTrue();
        }
        assertThat(host.rpci).isEmpty();
    }

    @Test
    void closingFromAnotherThreadWakesABlockedReadAndRejectsConcurrentUse() throws Exception {
        host.rpciReply = request -> new byte[0];   // the host never answers
        VsockSettings patient = VsockSettings.defaults().withReplyTimeout(Duration.ofSeconds(120));
        RpcConnection connection = VsockTransportProvider.standIn(GuestVsockStandIn.in(directory), patient)
                .open(TransportKind.VSOCK_PRIVILEGED, RpcProtocol.RPCI, TransportPolicy.defaults(),
                        RpcChannelOptions.defaults());
        connection.send(ascii("x"));
        java.util.concurrent.CompletableFuture<Throwable> reader = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        connection.receive();
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
        while (host.rpci.isEmpty()) {
            Thread.sleep(5);
        }
        Thread.sleep(50);   // let the reader block; the assertions hold either way

        if (!reader.isDone()) {
            assertThatThrownBy(() -> connection.send(ascii("y"))).isInstanceOf(IllegalStateException.class);
        }
        connection.close();

        // Far below the 120 s reply timeout: only the close can have ended the read.
        assertThat(reader.get(20, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(VsockConnectionException.class);
        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.send(ascii("z"))).isInstanceOf(VsockConnectionException.class);
    }

    @Test
    void tcloIsPushedAndTheHeartbeatStartsOnlyAfterTheFirstReply() throws Exception {
        RpcConnection tclo = provider.open(TransportKind.VSOCK, RpcProtocol.TCLO, TransportPolicy.defaults(),
                RpcChannelOptions.defaults());
        assertThat(tclo.hostPushes()).isTrue();

        // Several heartbeat intervals pass with nothing to answer: no PING may be sent yet.
        for (int i = 0; i < 5; i++) {
            assertThat(tclo.receive()).isEmpty();
        }
        host.tcloCommands.add("reset");
        Optional<byte[]> command = Optional.empty();
        while (command.isEmpty()) {
            command = tclo.receive();
        }
        assertThat(command).get().isEqualTo(ascii("reset"));
        tclo.send(ascii("OK ATR toolbox"));
        for (int i = 0; i < 5; i++) {
            tclo.receive();
        }

        FakeVsockHost.Received first = host.nextTclo();
        assertThat(first.socket()).isEqualTo("975.sock");
        assertThat(first.packet()).isEqualTo(GuestRpcPacket.data(ascii("OK ATR toolbox"), false));
        FakeVsockHost.Received beat = host.nextTclo();
        assertThat(beat.packet()).isEqualTo(GuestRpcPacket.ping());
        assertThat(Hex.of(beat.packet().encode())).isEqualTo("0000001000000001000000010000000200000000");
        tclo.close();
    }
}
