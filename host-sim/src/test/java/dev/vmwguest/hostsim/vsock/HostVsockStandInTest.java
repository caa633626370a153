package dev.vmwguest.hostsim.vsock;

import static dev.vmwguest.hostsim.vsock.HostVsockStandIn.RPCI_PORT;
import static dev.vmwguest.hostsim.vsock.HostVsockStandIn.TCLO_PORT;
import static dev.vmwguest.hostsim.vsock.VsockTestGuest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.RawGuest;
import dev.vmwguest.hostsim.TcloUnansweredException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vsock host side on its Unix-socket stand-in (transports.md sections 1.3 to 1.5, 1.8, 4.2),
 * driven by a guest written in the test, sharing one {@link SimulatedHost} with the backdoor.
 */
class HostVsockStandInTest extends HostVsockStandInFixture {

    @Test
    void listensOnTheFourSocketFilesOfTheContract() {
        start();
        assertThat(dir.resolve("976.sock")).exists();
        assertThat(dir.resolve("976-privileged.sock")).exists();
        assertThat(dir.resolve("975.sock")).exists();
        assertThat(dir.resolve("975-privileged.sock")).exists();
        assertThat(HostVsockStandIn.socketPath(dir, 975, true)).isEqualTo(dir.resolve("975-privileged.sock"));
    }

    @Test
    void rpciOverVsockSharesGuestInfoWithTheBackdoorAndCostsNoBackdoorCalls() throws Exception {
        start();
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            guest.write(VsockTestGuest.request("info-set guestinfo.k from-vsock", false));
            // The reply is PAYLOAD only, byte for byte the fact sheet's VMX form.
            assertThat(guest.readRaw()).isEqualTo(DataMapTest.hex(DataMapTest.VMX_REPLY));
            assertThat(host.calls().total()).isZero();

            assertThat(RawGuest.oneShot(host, "info-get guestinfo.k")).isEqualTo("1 from-vsock");
            host.guestInfo().put("guestinfo.b", "from-backdoor");
            assertThat(guest.rpci("info-get guestinfo.b")).isEqualTo("1 from-backdoor");
            assertThat(guest.rpci("no.such.command")).isEqualTo("0 Unknown command");
        }
        await(() -> !standIn.connections().get(0).open(), "the close to be seen");
        VsockConnectionStats connection = standIn.connections().get(0);
        assertThat(connection.port()).isEqualTo(RPCI_PORT);
        assertThat(connection.privileged()).isFalse();
        assertThat(connection.packetsFromGuest()).isEqualTo(3);
        assertThat(connection.packetsToGuest()).isEqualTo(3);
        assertThat(connection.closeReason()).contains("guest closed");
        assertThat(host.calls().rpci("info-get")).isEqualTo(2); // one per transport
        assertThat(standIn.events()).contains("vsock-1-976: rpci 'info-set guestinfo.k from-vsock' -> '1 '");
    }

    @Test
    void aRequestWithTrailingNulsAsVmtoolsdSendsThemIsAnsweredAsOverTheBackdoor() {
        start();
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            assertThat(guest.rpci("info-set guestinfo.nul v\0")).isEqualTo("1 ");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(host.guestInfo().get("guestinfo.nul")).contains("v");
    }

    @Test
    void secureRequestsAreRefusedOnUnprivilegedConnectionsAndOnTheBackdoorOnly() throws Exception {
        start();
        host.requireSecure("info-set guestinfo.");
        try (VsockTestGuest user = VsockTestGuest.connect(standIn, RPCI_PORT, false);
                VsockTestGuest root = VsockTestGuest.connect(standIn, RPCI_PORT, true)) {
            assertThat(user.rpci("info-set guestinfo.k user")).isEqualTo("0 Permission denied");
            assertThat(host.guestInfo().get("guestinfo.k")).isEmpty();
            assertThat(RawGuest.oneShot(host, "info-set guestinfo.k backdoor")).isEqualTo("0 Permission denied");
            assertThat(host.guestInfo().get("guestinfo.k")).isEmpty();

            assertThat(root.rpci("info-set guestinfo.k root")).isEqualTo("1 ");
            assertThat(user.rpci("info-get guestinfo.k")).as("only the matching requests").isEqualTo("1 root");
        }
        host.rpci().clearSecure();
        assertThat(RawGuest.oneShot(host, "info-set guestinfo.k backdoor")).isEqualTo("1 ");
    }

    @Test
    void aPredicateRuleAndADenialForEveryone() throws Exception {
        start();
        host.rpci().requireSecure(request -> request.startsWith("guestStore.connect"));
        host.rpci().deny("log", true);
        try (VsockTestGuest root = VsockTestGuest.connect(standIn, RPCI_PORT, true);
                VsockTestGuest user = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            assertThat(user.rpci("guestStore.connect 1000")).isEqualTo("0 Permission denied");
            assertThat(root.rpci("guestStore.connect 1000")).as("allowed, then unknown to this host")
                    .isEqualTo("0 Unknown command");
            assertThat(root.rpci("log hello")).isEqualTo("0 Permission denied");
        }
    }

    @Test
    void fastCloseClosesTheConnectionRightAfterTheReply() {
        start();
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            guest.write(VsockTestGuest.request("log one-shot", true));
            assertThat(guest.read()).isEqualTo("1 ");
            assertThat(guest.readRaw()).as("end of stream after the reply").isNull();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(standIn.connections().get(0).closeReason()).contains("fast close");
        assertThat(host.log()).containsExactly("one-shot");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "BAD_TYPE,        00000008 00000007 00000002",
            "OVERSIZE,        7fffffff",
            "DUPLICATE_FIELD, 00000020 00000001 00000001 00000001 00000000 00000001 00000001 00000001 00000000",
            "BAD_LENGTH,      0000000c 00000002 00000002 00000000",
    })
    void aMalformedPacketClosesOnlyThatConnectionWithTheReason(String problem, String bytes) throws Exception {
        start();
        try (VsockTestGuest bad = VsockTestGuest.connect(standIn, RPCI_PORT, false);
                VsockTestGuest good = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            bad.write(DataMapTest.hex(bytes));
            assertThat(bad.readRaw()).as("no reply, end of stream").isNull();
            assertThat(good.rpci("log still here")).isEqualTo("1 ");
        }
        assertThat(standIn.connections().get(0).closeReason()).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("malformed packet: " + problem));
    }

    @Test
    void aPacketCutShortByTheGuestIsRecordedAsTruncated() throws Exception {
        start();
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            byte[] request = VsockTestGuest.request("log cut", false);
            guest.write(java.util.Arrays.copyOf(request, request.length - 3));
            guest.channel.shutdownOutput();
            assertThat(guest.readRaw()).isNull();
        }
        await(() -> standIn.connections().get(0).closeReason().isPresent(), "the close");
        assertThat(standIn.connections().get(0).closeReason().orElseThrow()).startsWith("malformed packet: TRUNCATED");
        assertThat(host.log()).isEmpty();
    }

    @Test
    void aRequestWithoutPayloadClosesTheConnection() throws Exception {
        start();
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            guest.heartbeat();
            assertThat(guest.readRaw()).isNull();
        }
        assertThat(standIn.connections().get(0).closeReason().orElseThrow()).startsWith("request without payload");
    }

    @Test
    void closeStopsEverythingFailsTheOutstandingCommandAndRemovesTheSocketFiles() throws Exception {
        start();
        VsockTestGuest rpci = VsockTestGuest.connect(standIn, RPCI_PORT, false);
        VsockTestGuest tclo = VsockTestGuest.connect(standIn, TCLO_PORT, true);
        assertThat(tclo.read()).isEqualTo("reset");
        tclo.write(VsockTestGuest.request("OK ATR toolbox", false));
        CompletableFuture<String> unanswered = host.tclo().send("ping");
        assertThat(tclo.read()).isEqualTo("ping");

        standIn.close();

        assertThat(standIn.liveThreads()).isZero();
        assertThat(Files.list(dir)).isEmpty();
        assertThat(rpci.readRaw()).isNull();
        assertThat(tclo.readRaw()).isNull();
        assertThatThrownBy(() -> unanswered.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TcloUnansweredException.class);
        assertThat(standIn.connections()).allSatisfy(c -> assertThat(c.closeReason()).contains("host closed"));
        rpci.close();
        tclo.close();
    }

    @Test
    void aWithheldReplyFaultEndsTheConnectionWithoutAReply() throws Exception {
        start();
        host.faults().noReplyOnce();
        try (VsockTestGuest guest = VsockTestGuest.connect(standIn, RPCI_PORT, false)) {
            guest.write(VsockTestGuest.request("log lost", false));
            assertThat(guest.readRaw()).isNull();
        }
        assertThat(host.faults().pending()).isEmpty();
        assertThat(host.log()).as("executed, only the reply was lost").containsExactly("lost");
        assertThat(standIn.connections().get(0).closeReason()).contains("fault: reply withheld");
    }

    @Test
    void concurrentGuestsOnBothTransportsSeeOneStore() throws Exception {
        start();
        int threads = 4;
        int rounds = 200;
        java.util.List<CompletableFuture<Void>> guests = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            boolean viaVsock = t % 2 == 0;
            guests.add(CompletableFuture.runAsync(() -> {
                try (VsockTestGuest vsock = viaVsock ? VsockTestGuest.connect(standIn, RPCI_PORT, id == 0) : null) {
                    for (int i = 0; i < rounds; i++) {
                        String set = "info-set guestinfo.t" + id + " " + i;
                        String get = "info-get guestinfo.t" + id;
                        if (viaVsock) {
                            assertThat(vsock.rpci(set)).isEqualTo("1 ");
                            assertThat(vsock.rpci(get)).isEqualTo("1 " + i);
                        } else {
                            assertThat(RawGuest.oneShot(host, set)).isEqualTo("1 ");
                            assertThat(RawGuest.oneShot(host, get)).isEqualTo("1 " + i);
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        CompletableFuture.allOf(guests.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        assertThat(host.calls().rpci("info-set")).isEqualTo((long) threads * rounds);
        assertThat(standIn.packetsFromGuest(RPCI_PORT)).isEqualTo(2L * rounds * (threads / 2));
        assertThat(standIn.packetsToGuest(RPCI_PORT)).isEqualTo(standIn.packetsFromGuest(RPCI_PORT));
        for (int t = 0; t < threads; t++) {
            assertThat(host.guestInfo().get("guestinfo.t" + t)).contains(String.valueOf(rounds - 1));
        }
    }

    @Test
    void aStaleSocketFileIsReportedNotOverwritten() throws Exception {
        Files.createFile(dir.resolve("976.sock"));
        assertThatThrownBy(() -> host.vsock(dir)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining(dir.toString());
        assertThat(Files.list(dir)).containsExactly(dir.resolve("976.sock"));
    }

}
