package dev.vmwguest.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import dev.vmwguest.rpc.transport.TransportRefusedException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The privileged source-port search of transports.md section 1.2, step by step, on the stand-in. */
class VsockConnectorTest {

    @TempDir
    Path directory;
    private FakeVsockHost host;
    private GuestVsockStandIn standIn;

    @BeforeEach
    void startHost() throws Exception {
        host = FakeVsockHost.start(directory);
        standIn = GuestVsockStandIn.in(directory);
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    private VsockConnector.Connected privileged(GuestVsockStandIn sockets) {
        return new VsockConnector(sockets.factory()).privileged(0, 976);
    }

    @Test
    void aPrivilegedConnectionComesFromPort1023AndReachesThePrivilegedSocket() throws Exception {
        VsockConnector.Connected connected = privileged(standIn);

        assertThat(connected.sourcePort()).isEqualTo(1023);
        assertThat(standIn.boundPorts()).containsExactly(1023);
        connected.socket().write(java.nio.ByteBuffer.wrap(GuestRpcPacket.data(new byte[] {'x'}, false).encode()));
        connected.socket().close();
        waitForConnection();
        assertThat(host.connections).containsExactly("976-privileged.sock");
    }

    @Test
    void portsInUseAreSkippedDownwards() {
        VsockConnector.Connected connected = privileged(standIn.withPortsInUse(Set.of(1023, 1022)));

        assertThat(connected.sourcePort()).isEqualTo(1021);
        assertThat(standIn.boundPorts()).containsExactly(1021);
        connected.socket().close();
    }

    @Test
    void whenEveryPrivilegedPortIsInUseTheSearchFails() {
        Set<Integer> all = IntStream.rangeClosed(1, 1023).boxed().collect(Collectors.toSet());

        assertThatThrownBy(() -> privileged(standIn.withPortsInUse(all)))
                .isInstanceOfSatisfying(TransportRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FAILED))
                .hasMessageContaining("every privileged source port");
    }

    @Test
    void aRefusedPrivilegedBindStopsAtOnceAsPrivilegeDenied() {
        assertThatThrownBy(() -> privileged(standIn.withPrivilegedBind(false)))
                .isInstanceOfSatisfying(TransportRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PRIVILEGE_DENIED))
                .hasMessageContaining("EACCES")
                .hasMessageContaining("CAP_NET_BIND_SERVICE");
        assertThat(standIn.boundPorts()).isEmpty();
    }

    @Test
    void eachResetMovesOnePortDownOnANewSocket() {
        standIn.failNextConnects(VsockErrno.ECONNRESET, VsockErrno.ECONNRESET, VsockErrno.ECONNRESET);

        VsockConnector.Connected connected = privileged(standIn);

        assertThat(connected.sourcePort()).isEqualTo(1020);
        assertThat(standIn.boundPorts()).containsExactly(1023, 1022, 1021, 1020);
        connected.socket().close();
    }

    @Test
    void eightResetsEndTheSearchAndTheNextResetIsFinalUntilAConnectSucceeds() {
        VsockConnector connector = new VsockConnector(standIn.factory());
        standIn.failNextConnects(repeat(VsockErrno.ECONNRESET, 8));

        assertThatThrownBy(() -> connector.privileged(0, 976)).isInstanceOf(TransportRefusedException.class)
                .hasMessageContaining("8 resets");
        assertThat(standIn.boundPorts()).containsExactly(1023, 1022, 1021, 1020, 1019, 1018, 1017, 1016);

        standIn.failNextConnects(VsockErrno.ECONNRESET);
        assertThatThrownBy(() -> connector.privileged(0, 976)).isInstanceOf(TransportRefusedException.class)
                .hasMessageContaining("ECONNRESET");
        assertThat(standIn.boundPorts()).hasSize(9);

        connector.privileged(0, 976).socket().close();
        standIn.failNextConnects(VsockErrno.ECONNRESET);
        assertThat(connector.privileged(0, 976).sourcePort()).isEqualTo(1022);
    }

    @Test
    void anInterruptedConnectRetriesTheSamePort() {
        standIn.failNextConnects(VsockErrno.EINTR, VsockErrno.EINTR);

        VsockConnector.Connected connected = privileged(standIn);

        assertThat(standIn.boundPorts()).containsExactly(1023, 1023, 1023);
        assertThat(connected.sourcePort()).isEqualTo(1023);
        connected.socket().close();
    }

    @Test
    void noBuffersIsRetriedOnTheSamePortAtMostFiveTimes() {
        standIn.failNextConnects(repeat(VsockErrno.ENOBUFS, 5));
        VsockConnector.Connected connected = privileged(standIn);
        assertThat(standIn.boundPorts()).hasSize(6).containsOnly(1023);
        connected.socket().close();

        GuestVsockStandIn again = GuestVsockStandIn.in(directory);
        again.failNextConnects(repeat(VsockErrno.ENOBUFS, 6));
        assertThatThrownBy(() -> privileged(again)).isInstanceOf(TransportRefusedException.class)
                .hasMessageContaining("ENOBUFS");
    }

    @ParameterizedTest
    @EnumSource(value = VsockErrno.class, names = {"ETIMEDOUT", "EADDRNOTAVAIL", "ECONNREFUSED"})
    void anyOtherConnectErrorEndsTheSearchAsAFailure(VsockErrno errno) {
        standIn.failNextConnects(errno);

        assertThatThrownBy(() -> privileged(standIn))
                .isInstanceOfSatisfying(TransportRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FAILED))
                .hasMessageContaining(errno.name());
        assertThat(standIn.boundPorts()).containsExactly(1023);
    }

    @ParameterizedTest
    @EnumSource(value = VsockErrno.class, names = {"EAFNOSUPPORT", "EPERM"})
    void aSocketThatCannotBeCreatedMeansVsockIsUnavailable(VsockErrno errno) {
        assertThatThrownBy(() -> privileged(standIn.withSocketError(errno)))
                .isInstanceOfSatisfying(VsockUnavailableException.class, e -> {
                    assertThat(e.errno()).contains(errno);
                    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                    assertThat(e.isRetryable()).isFalse();
                });
    }

    @Test
    void noTransportToTheHostIsUnavailableNotAFailure() {
        standIn.failNextConnects(VsockErrno.ENODEV);

        assertThatThrownBy(() -> privileged(standIn)).isInstanceOf(VsockUnavailableException.class);
    }

    @Test
    void theUnprivilegedRpciAttemptBindsAnyPortAndReachesTheOrdinarySocket() throws Exception {
        VsockConnector.Connected connected = new VsockConnector(standIn.withPrivilegedBind(false).factory())
                .unprivileged(0, 976, true);

        assertThat(standIn.boundPorts()).singleElement().satisfies(port -> assertThat(port).isGreaterThan(1023));
        connected.socket().close();
        waitForConnection();
        assertThat(host.connections).containsExactly("976.sock");
    }

    @Test
    void theUnprivilegedAttemptIsMadeOnceEvenWhenReset() {
        standIn.failNextConnects(VsockErrno.ECONNRESET);

        assertThatThrownBy(() -> new VsockConnector(standIn.factory()).unprivileged(0, 976, true))
                .isInstanceOfSatisfying(TransportRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FAILED));
        assertThat(standIn.boundPorts()).hasSize(1);
    }

    @Test
    void nothingListeningLooksLikeTheHostResettingTheConnection() throws Exception {
        host.close();
        java.nio.file.Files.delete(directory.resolve("976-privileged.sock"));
        GuestVsockStandIn nobody = GuestVsockStandIn.in(directory);

        assertThatThrownBy(() -> privileged(nobody)).hasMessageContaining("ECONNRESET");
    }

    private void waitForConnection() throws InterruptedException {
        for (int i = 0; i < 1000 && host.connections.isEmpty(); i++) {
            Thread.sleep(10);
        }
    }

    private static VsockErrno[] repeat(VsockErrno errno, int times) {
        VsockErrno[] errors = new VsockErrno[times];
        java.util.Arrays.fill(errors, errno);
        return errors;
    }
}
