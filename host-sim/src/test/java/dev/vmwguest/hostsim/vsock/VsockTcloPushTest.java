package dev.vmwguest.hostsim.vsock;

import static dev.vmwguest.hostsim.vsock.HostVsockStandIn.RPCI_PORT;
import static dev.vmwguest.hostsim.vsock.HostVsockStandIn.TCLO_PORT;
import static dev.vmwguest.hostsim.vsock.VsockTestGuest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.TcloExchange;
import dev.vmwguest.hostsim.TcloUnansweredException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pushed TCLO on the stand-in's port 975 (transports.md section 1.5, tclo.md section 4): reset first,
 * one command at a time, heartbeats and silence, app conflicts, host resets.
 */
class VsockTcloPushTest extends HostVsockStandInFixture {

    @Test
    void tcloIsPushedResetFirstThenQueuedCommandsEachAfterTheReply() throws Exception {
        start();
        CompletableFuture<String> ping = host.tclo().send("ping");
        CompletableFuture<String> caps = host.tclo().send("Capabilities_Register");
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, TCLO_PORT, false)) {
            assertThat(guest.read()).isEqualTo("reset");
            assertThat(ping).isNotDone();
            guest.write(VsockTestGuest.request("OK ATR toolbox", false));
            assertThat(guest.read()).isEqualTo("ping");
            assertThat(caps).as("one command outstanding at a time").isNotDone();
            guest.write(VsockTestGuest.request("OK ", false));
            assertThat(ping.get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(guest.read()).isEqualTo("Capabilities_Register");
            guest.write(VsockTestGuest.request("OK ", false));
            assertThat(caps.get(30, TimeUnit.SECONDS)).isEqualTo("OK ");

            assertThat(host.tclo().attachedApps()).containsExactly("toolbox");
            assertThat(host.tclo().history()).extracting(TcloExchange::command)
                    .containsExactly("reset", "ping", "Capabilities_Register");
            assertThat(host.tclo().history()).allSatisfy(e -> {
                assertThat(e.channel()).isEqualTo(HostVsockStandIn.CHANNEL_BASE + 1);
                assertThat(e.outcome()).isEqualTo(TcloExchange.Outcome.ANSWERED);
            });

            for (int i = 0; i < 3; i++) {
                guest.heartbeat();
            }
            await(() -> standIn.heartbeats() == 3, "three heartbeats");
            assertThat(standIn.packetsFromGuest(TCLO_PORT)).isEqualTo(6);
            assertThat(standIn.packetsToGuest(TCLO_PORT)).isEqualTo(3);
        }
        assertThat(host.calls().total()).as("vsock costs no backdoor calls").isZero();
    }

    @Test
    void theHostPushesACommandQueuedWhileTheGuestIsIdle() throws Exception {
        start();
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, TCLO_PORT, false)) {
            assertThat(guest.read()).isEqualTo("reset");
            guest.write(VsockTestGuest.request("OK ATR toolbox", false));
            await(() -> host.tclo().attachedApps().contains("toolbox"), "the attach");

            CompletableFuture<String> reply = host.tclo().send("Set_Option synctime 0");
            assertThat(guest.read()).isEqualTo("Set_Option synctime 0");
            guest.write(VsockTestGuest.request("OK ", false));
            assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
        }
    }

    @Test
    void aGuestThatStopsItsHeartbeatIsRecordedAsSilentAndOneThatKeepsItIsNot() throws Exception {
        start(VsockOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50)).withMissedHeartbeats(2));
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, TCLO_PORT, false)) {
            assertThat(guest.read()).isEqualTo("reset");
            assertThat(standIn.silences()).as("no heartbeat is owed before the first reply").isZero();
            guest.write(VsockTestGuest.request("OK ATR toolbox", false));
            await(() -> standIn.silences() == 1, "the guest to be seen silent");
            assertThat(standIn.connections(TCLO_PORT).get(0).open()).as("silence does not close").isTrue();
            assertThat(standIn.events()).anyMatch(e -> e.endsWith("guest silent for 100 ms"));
            guest.heartbeat();
            await(() -> standIn.heartbeats() == 1, "the heartbeat");
            await(() -> standIn.silences() == 2, "a second silence after the heartbeat stopped again");
        }
    }

    @Test
    void aSecondGuestAttachingTheSameAppIsClosedAfterItsReply() throws Exception {
        start();
        try (VsockTestGuest first = VsockTestGuest.connect(standIn, TCLO_PORT, false)) {
            assertThat(first.read()).isEqualTo("reset");
            first.write(VsockTestGuest.request("OK ATR toolbox", false));
            await(() -> host.tclo().attachedApps().contains("toolbox"), "the first attach");
            try (VsockTestGuest second = VsockTestGuest.connect(standIn, TCLO_PORT, false)) {
                assertThat(second.read()).isEqualTo("reset");
                second.write(VsockTestGuest.request("OK ATR toolbox", false));
                assertThat(second.readRaw()).isNull();
            }
        }
        assertThat(standIn.connections().get(1).closeReason()).contains("app name already attached");
    }

    @Test
    void aHostResetEndsOpenConnectionsAndTheNextTcloConnectionStartsWithReset() throws Exception {
        start();
        try (VsockTestGuest rpci = VsockTestGuest.connect(standIn, RPCI_PORT, false);
                VsockTestGuest tclo = VsockTestGuest.connect(standIn, TCLO_PORT, false)) {
            assertThat(tclo.read()).isEqualTo("reset");
            tclo.write(VsockTestGuest.request("OK ATR toolbox", false));
            CompletableFuture<String> lost = host.tclo().send("ping");
            assertThat(tclo.read()).isEqualTo("ping");
            assertThat(rpci.rpci("log before")).isEqualTo("1 ");

            host.resetHost();

            assertThat(rpci.readRaw()).isNull();
            assertThat(tclo.readRaw()).isNull();
            assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TcloUnansweredException.class);
        }
        assertThat(standIn.connections()).allSatisfy(c -> assertThat(c.closeReason()).contains("host reset"));
        try (VsockTestGuest again = VsockTestGuest.connect(standIn, TCLO_PORT, false)) {
            assertThat(again.read()).isEqualTo("reset");
        }
    }

}
