package dev.vmwguest.vsock;

import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static dev.vmwguest.rpc.TransportKind.VSOCK_PRIVILEGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.vsock.HostVsockStandIn;
import dev.vmwguest.hostsim.vsock.VsockConnectionStats;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciOptions;
import dev.vmwguest.rpci.RpciPermissionDeniedException;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This module's client against host-sim's vsock side: two implementations of
 * the DataMap framing and the stand-in contract, written apart from the fact
 * sheet, meeting for the first time. The in-module tests use their own fake
 * host; this one uses the simulator users test against.
 */
class SimulatedHostVsockTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path directory;
    private final SimulatedHost host = SimulatedHost.create();
    private HostVsockStandIn standIn;

    @BeforeEach
    void listen() {
        standIn = host.vsock(directory.resolve("vsock"));
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private TransportSelector selector(GuestVsockStandIn kernel) {
        return TransportSelector.over(host, TransportPolicy.defaults(),
                List.of(VsockTransportProvider.standIn(kernel, VsockSettings.defaults())));
    }

    @Test
    void guestinfoSetAndGetTravelOverPrivilegedVsockIntoTheSameStore() {
        try (RpciClient rpci = RpciClient.open(selector(GuestVsockStandIn.in(standIn.directory())),
                RpciOptions.defaults())) {
            rpci.guestInfo().set("ip", "10.0.0.5");
            host.guestInfo().put("guestinfo.from.host", "hello guest");

            assertThat(rpci.guestInfo().get("from.host")).contains("hello guest");
            assertThat(rpci.guestInfo().get("missing")).isEmpty();
            assertThat(rpci.transportSelection().orElseThrow().chosen()).contains(VSOCK_PRIVILEGED);
        }
        assertThat(host.guestInfo().get("guestinfo.ip")).contains("10.0.0.5");
        assertThat(standIn.connections(HostVsockStandIn.RPCI_PORT)).singleElement()
                .satisfies(connection -> {
                    assertThat(connection.privileged()).isTrue();
                    assertThat(connection.packetsFromGuest()).isEqualTo(3);
                    assertThat(connection.packetsToGuest()).isEqualTo(3);
                });
        assertThat(host.calls().total()).as("nothing over the backdoor").isZero();
    }

    @Test
    void aSecureOnlyCommandIsRefusedOnUnprivilegedVsockAndTheStoreIsUntouched() {
        host.requireSecure("info-set guestinfo.");
        GuestVsockStandIn withoutCapability = GuestVsockStandIn.in(standIn.directory()).withPrivilegedBind(false);
        try (RpciClient rpci = RpciClient.open(selector(withoutCapability), RpciOptions.defaults())) {
            assertThatThrownBy(() -> rpci.guestInfo().set("ip", "10.0.0.6"))
                    .isInstanceOfSatisfying(RpciPermissionDeniedException.class,
                            denied -> assertThat(denied.transport()).contains(VSOCK));
            assertThat(rpci.guestInfo().get("ip")).as("reads stay allowed").isEmpty();
        }
        assertThat(host.guestInfo().get("guestinfo.ip")).isEmpty();
        assertThat(standIn.connections(HostVsockStandIn.RPCI_PORT)).extracting(VsockConnectionStats::privileged)
                .containsOnly(false);
    }

    @Test
    void pushedTcloCommandsReachASubscriberAndTheAnswersReachTheHost() throws Exception {
        CompletableFuture<String> option = host.tclo().send("Set_Option synctime 1");
        CompletableFuture<String> ping = host.tclo().send("ping");
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX)
                .transports(selector(GuestVsockStandIn.in(standIn.directory()))).build();
        CompletableFuture<TcloCommand.SetOption> seen = new CompletableFuture<>();
        events.subscribe(TcloCommand.SetOption.class, command -> {
            seen.complete(command);
            return TcloReply.ok();
        });
        try {
            events.start();

            assertThat(seen.get(WAIT.toSeconds(), TimeUnit.SECONDS).name()).isEqualTo("synctime");
            assertThat(option.get(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("OK");
            assertThat(ping.get(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("OK");
        } finally {
            assertTimeoutPreemptively(WAIT, events::close);
        }
        assertThat(host.tclo().history()).first().satisfies(reset -> {
            assertThat(reset.command()).isEqualTo("reset");
            assertThat(reset.reply()).hasValueSatisfying(reply -> assertThat(reply).startsWith("OK ATR toolbox"));
        });
        assertThat(standIn.connections(HostVsockStandIn.TCLO_PORT)).isNotEmpty();
        assertThat(host.calls().of(MessageType.OPEN)).as("no TCLO polling on the backdoor")
                .isZero();
    }
}
