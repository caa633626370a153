package dev.vmwguest.vsock;

import static dev.vmwguest.rpc.TransportKind.BACKDOOR;
import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static dev.vmwguest.rpc.TransportKind.VSOCK_PRIVILEGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.PrivilegedTransportUnavailableException;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpc.transport.TransportUnavailableException;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciOptions;
import dev.vmwguest.rpci.RpciPermissionDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RpciClient}, unchanged, over every branch of the transport policy:
 * the vsock stand-in with its simulated kernel, and the simulated host behind
 * the backdoor. Each test asserts which host saw the command.
 */
class RpciOverVsockTest {

    @TempDir
    Path directory;
    private FakeVsockHost vsockHost;
    private final SimulatedHost backdoorHost = SimulatedHost.create();
    private final Map<String, String> vsockGuestInfo = new ConcurrentHashMap<>();

    @BeforeEach
    void startHost() throws Exception {
        vsockHost = FakeVsockHost.start(directory);
        vsockHost.rpciReply = request -> {
            String[] words = request.split(" ", 3);
            if (words[0].equals("info-set")) {
                vsockGuestInfo.put(words[1], words.length > 2 ? words[2] : "");
                return FakeVsockHost.packet("1 ");
            }
            if (words[0].equals("info-get")) {
                String value = vsockGuestInfo.get(words[1]);
                return FakeVsockHost.packet(value == null ? "0 No value found" : "1 " + value);
            }
            return FakeVsockHost.packet("0 Unknown command");
        };
    }

    @AfterEach
    void stopHost() {
        vsockHost.close();
    }

    private RpciClient open(TransportPolicy policy, GuestVsockStandIn standIn) {
        TransportSelector selector = TransportSelector.over(backdoorHost, policy,
                List.of(VsockTransportProvider.standIn(standIn, VsockSettings.defaults())));
        return RpciClient.open(selector, RpciOptions.defaults());
    }

    private GuestVsockStandIn standIn() {
        return GuestVsockStandIn.in(directory);
    }

    @Test
    void byDefaultARootlikeProcessUsesPrivilegedVsock() {
        try (RpciClient rpci = open(TransportPolicy.defaults(), standIn())) {
            rpci.guestInfo().set("ip", "10.0.0.5");

            assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");
            TransportSelection selection = rpci.transportSelection().orElseThrow();
            assertThat(selection.chosen()).contains(VSOCK_PRIVILEGED);
            assertThat(selection.refusals()).isEmpty();
        }
        assertThat(vsockHost.rpci).extracting(FakeVsockHost.Received::socket).containsOnly("976-privileged.sock");
        assertThat(vsockGuestInfo).containsEntry("guestinfo.ip", "10.0.0.5");
        assertThat(backdoorHost.calls().total()).isZero();
    }

    @Test
    void withoutTheCapabilityTheClientFallsBackToUnprivilegedVsockAndSaysWhy() {
        GuestVsockStandIn noCapability = standIn().withPrivilegedBind(false);
        try (RpciClient rpci = open(TransportPolicy.defaults(), noCapability)) {
            rpci.guestInfo().set("ip", "10.0.0.6");

            TransportSelection selection = rpci.transportSelection().orElseThrow();
            assertThat(selection.chosen()).contains(VSOCK);
            assertThat(selection.refusal(VSOCK_PRIVILEGED)).get().satisfies(refusal -> {
                assertThat(refusal.reason()).isEqualTo(Reason.PRIVILEGE_DENIED);
                assertThat(refusal.message()).contains("EACCES", "CAP_NET_BIND_SERVICE");
            });
        }
        assertThat(vsockHost.rpci).extracting(FakeVsockHost.Received::socket).containsOnly("976.sock");
        assertThat(noCapability.boundPorts()).allSatisfy(port -> assertThat(port).isGreaterThan(1023));
    }

    @ParameterizedTest
    @EnumSource(value = VsockErrno.class, names = {"EAFNOSUPPORT", "EPERM"})
    void withoutVsockTheBackdoorCarriesTheCommandsAndTheErrnoIsRecorded(VsockErrno errno) {
        try (RpciClient rpci = open(TransportPolicy.defaults(), standIn().withSocketError(errno))) {
            rpci.guestInfo().set("ip", "10.0.0.7");

            TransportSelection selection = rpci.transportSelection().orElseThrow();
            assertThat(selection.chosen()).contains(BACKDOOR);
            assertThat(selection.refusals()).extracting(TransportRefusal::reason)
                    .containsExactly(Reason.UNAVAILABLE, Reason.NOT_TRIED);
            assertThat(selection.refusals().get(0).message()).contains(errno.name());
        }
        assertThat(backdoorHost.guestInfo().get("guestinfo.ip")).contains("10.0.0.7");
        assertThat(vsockHost.connections).isEmpty();
    }

    @Test
    void privilegedAttemptsThatAreResetEndOnTheBackdoorWithoutAnUnprivilegedAttempt() {
        GuestVsockStandIn resetting = standIn();
        // Three start attempts, 100 ms apart: 8 resets end the first; after that each reset is final at once.
        VsockErrno[] resets = new VsockErrno[VsockConnector.MAX_RESETS + VsockTransportProvider.START_ATTEMPTS - 1];
        java.util.Arrays.fill(resets, VsockErrno.ECONNRESET);
        resetting.failNextConnects(resets);

        try (RpciClient rpci = open(TransportPolicy.defaults(), resetting)) {
            TransportSelection selection = rpci.transportSelection().orElseThrow();
            assertThat(selection.chosen()).contains(BACKDOOR);
            assertThat(selection.refusal(VSOCK_PRIVILEGED)).get().extracting(TransportRefusal::reason)
                    .isEqualTo(Reason.FAILED);
            assertThat(selection.refusal(VSOCK)).get().extracting(TransportRefusal::reason)
                    .isEqualTo(Reason.NOT_TRIED);
        }
        assertThat(resetting.boundPorts()).hasSize(resets.length).allSatisfy(port -> assertThat(port).isLessThan(1024));
        assertThat(vsockHost.connections).isEmpty();
        assertThat(backdoorHost.calls().opens()).isEqualTo(1);
    }

    @Test
    void aFailedStartIsRetriedTwiceBeforeTheNextTransport() {
        GuestVsockStandIn timingOut = standIn();
        timingOut.failNextConnects(VsockErrno.ETIMEDOUT, VsockErrno.ETIMEDOUT);

        try (RpciClient rpci = open(TransportPolicy.defaults(), timingOut)) {
            assertThat(rpci.transportSelection().orElseThrow().chosen()).contains(VSOCK_PRIVILEGED);
        }
        assertThat(timingOut.boundPorts()).containsExactly(1023, 1023, 1023);
    }

    @Test
    void afterTheBackOffTheNextCommandLeavesTheBackdoorForVsock() throws Exception {
        GuestVsockStandIn sockets = standIn();
        sockets.failNextConnects(VsockErrno.ETIMEDOUT, VsockErrno.ETIMEDOUT, VsockErrno.ETIMEDOUT);
        try (RpciClient rpci = open(TransportPolicy.defaults(), sockets)) {
            assertThat(rpci.transportSelection().orElseThrow().chosen()).contains(BACKDOOR);

            Thread.sleep(4_500);   // the first back-off after a fallback is 4 s
            rpci.guestInfo().set("ip", "10.0.0.11");

            assertThat(rpci.transportSelection().orElseThrow().chosen()).contains(VSOCK_PRIVILEGED);
        }
        assertThat(vsockGuestInfo).containsEntry("guestinfo.ip", "10.0.0.11");
        assertThat(backdoorHost.guestInfo().get("guestinfo.ip")).isEmpty();
        assertThat(backdoorHost.openChannels()).isZero();
    }

    @Test
    void anExplicitBackdoorPolicyNeverTouchesVsock() {
        GuestVsockStandIn untouched = standIn();
        try (RpciClient rpci = open(TransportPolicy.backdoorOnly(), untouched)) {
            rpci.guestInfo().set("ip", "10.0.0.8");
        }
        assertThat(untouched.boundPorts()).isEmpty();
        assertThat(vsockHost.connections).isEmpty();
        assertThat(backdoorHost.guestInfo().get("guestinfo.ip")).contains("10.0.0.8");
    }

    @Test
    void anExplicitUnprivilegedVsockPolicyNeverBindsAPrivilegedPort() {
        GuestVsockStandIn sockets = standIn();
        try (RpciClient rpci = open(TransportPolicy.of(VSOCK), sockets)) {
            rpci.guestInfo().set("ip", "10.0.0.9");
        }
        assertThat(sockets.boundPorts()).singleElement().satisfies(port -> assertThat(port).isGreaterThan(1023));
        assertThat(vsockHost.connections).containsExactly("976.sock");
    }

    @Test
    void secureRpcWithoutPrivilegeFailsBeforeSendingAnything() {
        assertThatThrownBy(() -> open(TransportPolicy.privilegedOnly(), standIn().withPrivilegedBind(false)))
                .isInstanceOf(PrivilegedTransportUnavailableException.class)
                .hasMessageContaining("EACCES");
        assertThat(vsockHost.connections).isEmpty();
        assertThat(backdoorHost.calls().total()).isZero();
    }

    @Test
    void aRestrictedCommandWorksOverPrivilegedVsockAndIsRefusedOverTheOthersWithAdvice() {
        vsockHost.restricted.add("info-get");
        backdoorHost.rpci().deny("info-get", true);
        vsockGuestInfo.put("guestinfo.secret", "s3");

        try (RpciClient privileged = open(TransportPolicy.privilegedOnly(), standIn())) {
            assertThat(privileged.guestInfo().get("secret")).contains("s3");
        }
        try (RpciClient unprivileged = open(TransportPolicy.of(VSOCK), standIn())) {
            assertThatThrownBy(() -> unprivileged.guestInfo().get("secret"))
                    .isInstanceOfSatisfying(RpciPermissionDeniedException.class,
                            e -> assertThat(e.transport()).contains(VSOCK))
                    .hasMessageContaining("went over vsock")
                    .hasMessageContaining("vmwguest.transport=privileged");
        }
        try (RpciClient backdoor = open(TransportPolicy.backdoorOnly(), standIn())) {
            assertThatThrownBy(() -> backdoor.guestInfo().get("secret"))
                    .isInstanceOfSatisfying(RpciPermissionDeniedException.class,
                            e -> assertThat(e.transport()).contains(BACKDOOR))
                    .hasMessageContaining("went over backdoor");
        }
    }

    @Test
    void whenNoTransportWorksTheErrorListsEveryRefusal() {
        GuestVsockStandIn timingOut = standIn();
        timingOut.failNextConnects(VsockErrno.ETIMEDOUT, VsockErrno.ETIMEDOUT, VsockErrno.ETIMEDOUT);

        assertThatThrownBy(() -> open(TransportPolicy.of(VSOCK), timingOut))
                .isExactlyInstanceOf(TransportUnavailableException.class)
                .hasMessageContaining("vsock refused (FAILED)")
                .hasMessageContaining("ETIMEDOUT");
    }

    @Test
    void aConnectionTheHostDropsIsReplacedAndAnIdempotentCommandResent() {
        try (RpciClient rpci = open(TransportPolicy.defaults(), standIn())) {
            rpci.guestInfo().set("ip", "10.0.0.10");
            vsockHost.dropConnections();

            assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.10");
        }
        assertThat(vsockHost.connections).hasSize(2);
    }
}
