package dev.vmwguest.rpc.transport;

import static dev.vmwguest.rpc.TransportKind.BACKDOOR;
import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static dev.vmwguest.rpc.TransportKind.VSOCK_PRIVILEGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportSelector#over}: the policy applied to exactly one backdoor
 * with no vsock, so tests on a simulated host run transport selection and its
 * refusals; and the order of the reasons in {@link TransportUnavailableException}.
 */
class TransportSelectorOverTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void overABackdoorAppliesThePolicyAndRecordsEachVsockStepAsNotOffered() {
        TransportSelector selector = TransportSelector.over(host, TransportPolicy.defaults());

        try (RpcConnection connection = selector.open(RpcProtocol.RPCI, RpcChannelOptions.defaults())) {
            assertThat(connection.transport()).isEqualTo(BACKDOOR);
        }
        TransportSelection selection = selector.lastSelection().orElseThrow();
        assertThat(selection.refusals()).extracting(TransportRefusal::kind).containsExactly(VSOCK_PRIVILEGED, VSOCK);
        assertThat(selection.refusals()).extracting(TransportRefusal::reason)
                .containsExactly(Reason.NOT_OFFERED, Reason.NOT_OFFERED);
        assertThat(selection.refusals().get(0).message()).contains("offers no vsock");
        assertThat(selector.plan(RpcProtocol.RPCI).chosen()).contains(BACKDOOR);
    }

    @Test
    void overABackdoorNeverUsesAnInstalledVsockProviderEvenWhenThePolicyNamesOnlyVsock() {
        TransportSelector selector = TransportSelector.over(host, TransportPolicy.of(VSOCK));

        TransportUnavailableException e = catchThrowableOfType(TransportUnavailableException.class,
                () -> selector.open(RpcProtocol.RPCI, RpcChannelOptions.defaults()));

        assertThat(e.selection().refusals()).extracting(TransportRefusal::reason).containsExactly(Reason.NOT_OFFERED);
        assertThat(host.calls().total()).isZero();
    }

    @Test
    void overABackdoorAPrivilegedOnlyPolicyFailsAsOnAMachineWithoutVsock() {
        TransportSelector selector = TransportSelector.over(host, TransportPolicy.privilegedOnly());

        PrivilegedTransportUnavailableException e = catchThrowableOfType(
                PrivilegedTransportUnavailableException.class,
                () -> selector.open(RpcProtocol.RPCI, RpcChannelOptions.defaults()));

        assertThat(e).hasMessageContaining("nothing was sent").hasMessageContaining("NOT_OFFERED");
        assertThat(host.calls().total()).as("the backdoor is never touched").isZero();
    }

    @Test
    void overABackdoorWithTheProcessPolicyMatchesOverWithThatPolicy() {
        TransportSelector selector = TransportSelector.over(host);

        assertThat(selector.policy()).isEqualTo(TransportPolicy.fromEnvironment());
    }

    @Test
    void theUnavailableExceptionLeadsWithTheDecisiveRefusalAndMentionsTheAbsentModuleLast() {
        BackdoorSource notVmware = new BackdoorSource() {
            @Override
            public Backdoor open() {
                throw new BackdoorUnavailableException(BackdoorUnavailableException.Reason.NOT_VMWARE,
                        "this machine is not VMware");
            }

            @Override
            public Optional<String> unavailability() {
                return Optional.of("this machine is not VMware");
            }
        };
        TransportSelector selector = TransportSelector.withClock(TransportPolicy.defaults(), notVmware, List.of(),
                System::nanoTime);

        TransportUnavailableException e = catchThrowableOfType(TransportUnavailableException.class,
                () -> selector.open(RpcProtocol.RPCI, RpcChannelOptions.defaults()));

        String message = e.getMessage();
        assertThat(message).startsWith("no transport for RPCI: backdoor refused (UNAVAILABLE): "
                + "this machine is not VMware");
        assertThat(message.indexOf("NOT_INSTALLED")).isGreaterThan(message.indexOf("not VMware"));
        assertThat(message).doesNotContain("add the");
        assertThat(e.selection().refusals()).extracting(TransportRefusal::kind)
                .as("the selection keeps policy order").containsExactly(VSOCK_PRIVILEGED, VSOCK, BACKDOOR);
    }

    @Test
    void onlyMachineKernelAndHostAnswersAreDecisive() {
        assertThat(Reason.values()).filteredOn(Reason::isDecisive)
                .containsExactlyInAnyOrder(Reason.UNAVAILABLE, Reason.PRIVILEGE_DENIED, Reason.FAILED);
    }
}
