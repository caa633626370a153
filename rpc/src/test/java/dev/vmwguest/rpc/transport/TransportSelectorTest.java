package dev.vmwguest.rpc.transport;

import static dev.vmwguest.rpc.TransportKind.BACKDOOR;
import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static dev.vmwguest.rpc.TransportKind.VSOCK_PRIVILEGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Every branch of the policy, with a scripted vsock provider and the simulated host behind the backdoor. */
class TransportSelectorTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final ScriptedProvider vsock = new ScriptedProvider();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private TransportSelector selector(TransportPolicy policy) {
        return TransportSelector.withClock(policy, BackdoorSource.of(host), List.of(vsock), now::get);
    }

    private RpcConnection open(TransportSelector selector, RpcProtocol protocol) {
        return selector.open(protocol, RpcChannelOptions.defaults());
    }

    @Test
    void theDefaultOrderTakesPrivilegedVsockWhenItConnects() {
        TransportSelector selector = selector(TransportPolicy.defaults());

        RpcConnection connection = open(selector, RpcProtocol.RPCI);

        assertThat(connection.transport()).isEqualTo(VSOCK_PRIVILEGED);
        assertThat(selector.lastSelection()).get().satisfies(s -> {
            assertThat(s.chosen()).contains(VSOCK_PRIVILEGED);
            assertThat(s.refusals()).isEmpty();
        });
        assertThat(vsock.attempts).containsExactly("vsock-privileged RPCI");
        assertThat(host.calls().total()).isZero();
    }

    @Test
    void aRefusedPrivilegedBindIsFollowedByOneUnprivilegedAttempt() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.PRIVILEGE_DENIED);
        TransportSelector selector = selector(TransportPolicy.defaults());

        RpcConnection connection = open(selector, RpcProtocol.RPCI);

        assertThat(connection.transport()).isEqualTo(VSOCK);
        assertThat(vsock.attempts).containsExactly("vsock-privileged RPCI", "vsock RPCI");
        TransportSelection selection = selector.lastSelection().orElseThrow();
        assertThat(selection.refusal(VSOCK_PRIVILEGED)).get().extracting(TransportRefusal::reason)
                .isEqualTo(Reason.PRIVILEGE_DENIED);
        assertThat(selection.toString()).contains("RPCI over vsock", "vsock-privileged refused (PRIVILEGE_DENIED)");
    }

    @Test
    void anyOtherPrivilegedFailureSkipsUnprivilegedVsockAndFallsBackToTheBackdoor() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.FAILED);
        TransportSelector selector = selector(TransportPolicy.defaults());

        RpcConnection connection = open(selector, RpcProtocol.RPCI);

        assertThat(connection).isInstanceOf(RpcChannel.class);
        assertThat(connection.transport()).isEqualTo(BACKDOOR);
        assertThat(vsock.attempts).containsExactly("vsock-privileged RPCI");
        assertThat(selector.lastSelection().orElseThrow().refusal(VSOCK)).get()
                .extracting(TransportRefusal::reason).isEqualTo(Reason.NOT_TRIED);
        assertThat(host.openChannels()).isEqualTo(1);
        connection.close();
    }

    @Test
    void vsockUnavailableFallsBackToTheBackdoor() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.UNAVAILABLE);
        TransportSelector selector = selector(TransportPolicy.defaults());

        assertThat(open(selector, RpcProtocol.RPCI).transport()).isEqualTo(BACKDOOR);
        assertThat(selector.lastSelection().orElseThrow().refusals()).extracting(TransportRefusal::reason)
                .containsExactly(Reason.UNAVAILABLE, Reason.NOT_TRIED);
    }

    @Test
    void tcloNeverAsksForPrivilegeAndTakesUnprivilegedVsock() {
        TransportSelector selector = selector(TransportPolicy.defaults());

        RpcConnection connection = open(selector, RpcProtocol.TCLO);

        assertThat(connection.transport()).isEqualTo(VSOCK);
        assertThat(vsock.attempts).containsExactly("vsock TCLO");
        assertThat(selector.lastSelection().orElseThrow().refusal(VSOCK_PRIVILEGED)).get()
                .extracting(TransportRefusal::reason).isEqualTo(Reason.NOT_APPLICABLE);
    }

    @Test
    void withoutTheVsockModuleTheBackdoorIsUsedAndTheRefusalSaysSoWithoutAdvice() {
        TransportSelector selector = TransportSelector.over(host, TransportPolicy.defaults(), List.of());

        assertThat(open(selector, RpcProtocol.RPCI).transport()).isEqualTo(BACKDOOR);
        TransportSelection selection = selector.lastSelection().orElseThrow();
        assertThat(selection.refusals()).extracting(TransportRefusal::reason)
                .containsExactly(Reason.NOT_INSTALLED, Reason.NOT_INSTALLED);
        assertThat(selection.refusals().get(0).message()).contains("no provider").doesNotContain("add");
    }

    @Test
    void secureRpcWithoutPrivilegeFailsTypedAndNeverTouchesTheBackdoor() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.PRIVILEGE_DENIED);
        TransportSelector selector = selector(TransportPolicy.privilegedOnly());

        assertThatThrownBy(() -> open(selector, RpcProtocol.RPCI))
                .isInstanceOf(PrivilegedTransportUnavailableException.class)
                .hasMessageContaining("nothing was sent")
                .hasMessageContaining("PRIVILEGE_DENIED")
                .hasCauseInstanceOf(TransportRefusedException.class);
        assertThat(vsock.attempts).containsExactly("vsock-privileged RPCI");
        assertThat(host.calls().total()).isZero();
    }

    @Test
    void anExplicitOrderIsFollowedExactly() {
        TransportSelector selector = selector(TransportPolicy.of(BACKDOOR, VSOCK));

        assertThat(open(selector, RpcProtocol.RPCI).transport()).isEqualTo(BACKDOOR);
        assertThat(vsock.attempts).isEmpty();
    }

    @Test
    void anUnprivilegedOnlyOrderNeverTriesThePrivilegedPort() {
        TransportSelector selector = selector(TransportPolicy.of(VSOCK));

        assertThat(open(selector, RpcProtocol.RPCI).transport()).isEqualTo(VSOCK);
        assertThat(vsock.attempts).containsExactly("vsock RPCI");
    }

    @Test
    void whenEveryTransportIsRefusedTheErrorListsEachReason() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.UNAVAILABLE);
        BackdoorSource noBackdoor = new BackdoorSource() {
            @Override
            public Backdoor open() {
                throw new BackdoorUnavailableException(BackdoorUnavailableException.Reason.NOT_VMWARE, "CPUID reports hypervisor 'KVMKVMKVM', not VMware");
            }

            @Override
            public Optional<String> unavailability() {
                return Optional.of("not VMware");
            }
        };
        TransportSelector selector = TransportSelector.withClock(TransportPolicy.defaults(), noBackdoor,
                List.of(vsock), now::get);

        assertThatThrownBy(() -> open(selector, RpcProtocol.RPCI))
                .isExactlyInstanceOf(TransportUnavailableException.class)
                .hasMessageContaining("KVMKVMKVM")
                .satisfies(e -> assertThat(((TransportUnavailableException) e).selection().refusals())
                        .extracting(TransportRefusal::kind).containsExactly(VSOCK_PRIVILEGED, VSOCK, BACKDOOR));
        assertThat(selector.lastSelection().orElseThrow().chosen()).isEmpty();
    }

    @Test
    void afterAFallbackVsockIsSkippedForFourSecondsThenTriedAgain() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.FAILED);
        TransportSelector selector = selector(TransportPolicy.defaults());
        open(selector, RpcProtocol.RPCI).close();

        now.addAndGet(Duration.ofMillis(3_999).toNanos());
        open(selector, RpcProtocol.RPCI).close();
        assertThat(selector.lastSelection().orElseThrow().refusals()).extracting(TransportRefusal::reason)
                .containsExactly(Reason.BACKING_OFF, Reason.BACKING_OFF);
        assertThat(selector.retryDue(BACKDOOR)).isFalse();

        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(selector.retryDue(BACKDOOR)).isTrue();
        assertThat(selector.retryDue(VSOCK)).isFalse();
        vsock.accept(VSOCK_PRIVILEGED);
        assertThat(open(selector, RpcProtocol.RPCI).transport()).isEqualTo(VSOCK_PRIVILEGED);
        assertThat(vsock.attempts).hasSize(2);
        assertThat(selector.retryDue(BACKDOOR)).isFalse();
    }

    @Test
    void theBackOffDoublesOnEachFallbackUpTo300SecondsAndResetsOnSuccess() {
        VsockBackoff backoff = new VsockBackoff();
        long t = 0;
        List<Long> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            backoff.fellBack(t);
            waits.add(backoff.remaining(t).toSeconds());
        }
        assertThat(waits).containsExactly(4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
        backoff.succeeded();
        assertThat(backoff.remaining(t)).isZero();
        backoff.fellBack(t);
        assertThat(backoff.remaining(t)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aVsockOnlyPolicyDoesNotBackOff() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.PRIVILEGE_DENIED).refuse(VSOCK, Reason.FAILED);
        TransportSelector selector = selector(TransportPolicy.of(VSOCK_PRIVILEGED, VSOCK));

        assertThatThrownBy(() -> open(selector, RpcProtocol.RPCI)).isInstanceOf(TransportUnavailableException.class)
                .isNotInstanceOf(PrivilegedTransportUnavailableException.class)
                .satisfies(e -> assertThat(((TransportUnavailableException) e).isRetryable()).isTrue());
        assertThatThrownBy(() -> open(selector, RpcProtocol.RPCI)).isInstanceOf(TransportUnavailableException.class);
        assertThat(vsock.attempts).hasSize(4);
    }

    @Test
    void thePlanChecksWithoutConnecting() {
        vsock.refuse(VSOCK_PRIVILEGED, Reason.PRIVILEGE_DENIED);
        TransportSelector selector = selector(TransportPolicy.defaults());

        TransportSelection rpci = selector.plan(RpcProtocol.RPCI);
        TransportSelection tclo = selector.plan(RpcProtocol.TCLO);

        assertThat(rpci.chosen()).contains(VSOCK);
        assertThat(rpci.refusals()).extracting(TransportRefusal::reason).containsExactly(Reason.PRIVILEGE_DENIED);
        assertThat(tclo.chosen()).contains(VSOCK);
        assertThat(vsock.attempts).isEmpty();
        assertThat(host.calls().total()).isZero();
    }

    @Test
    void aBackdoorOnlySelectorBehavesAsAPlainChannel() {
        TransportSelector selector = TransportSelector.over(host, TransportPolicy.backdoorOnly());

        try (RpcConnection connection = open(selector, RpcProtocol.RPCI)) {
            assertThat(connection).isInstanceOf(RpcChannel.class);
            assertThat(connection.hostPushes()).isFalse();
        }
        assertThat(host.openChannels()).isZero();
    }
}
