package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcMessageTooLargeException;
import dev.vmwguest.rpc.RpcProtocolException;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failure replies are values from send and typed exceptions from call; broken replies are errors. */
class RpciRepliesTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final RpciClient rpci = RpciClient.open(TransportSelector.over(host));

    @AfterEach
    void closeClient() {
        rpci.close();
    }

    @Test
    void aFailureReplyIsAValueCarryingTheHostsText() {
        host.rpci().handle("app.check", args -> RpciResult.error("disk almost full"));

        RpciReply reply = rpci.send("app.check now");

        assertThat(reply.success()).isFalse();
        assertThat(reply.text()).isEqualTo("disk almost full");
        assertThat(reply).isEqualTo(RpciReply.parse("0 disk almost full".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void callThrowsTheFailureWithCommandAndReasonButNotTheArguments() {
        host.rpci().handle("app.login", args -> RpciResult.error("bad password"));

        RpciException failure = catchThrowableOfType(RpciException.class, () -> rpci.call("app.login hunter2"));

        assertThat(failure).isExactlyInstanceOf(RpciException.class);
        assertThat(failure.command()).isEqualTo("app.login");
        assertThat(failure.reason()).isEqualTo("bad password");
        assertThat(failure.isUnknownCommand()).isFalse();
        assertThat(failure).hasMessageContaining("app.login").hasMessageContaining("bad password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void callReturnsTheTextOfASuccessfulReply() {
        host.rpci().handle("app.echo", args -> RpciResult.ok(args));

        assertThat(rpci.call("app.echo h\u00e9llo w\u00f6rld")).isEqualTo("h\u00e9llo w\u00f6rld");
        assertThat(rpci.call("app.echo")).isEmpty();
    }

    @Test
    void anUnknownCommandGetsTheHostsUnknownCommandReply() {
        RpciReply reply = rpci.send("no.such.command 1 2");

        assertThat(reply.success()).isFalse();
        assertThat(reply.text()).isEqualTo(RpciException.UNKNOWN_COMMAND);
        RpciException failure = catchThrowableOfType(RpciException.class, () -> rpci.call("no.such.command"));
        assertThat(failure.isUnknownCommand()).isTrue();
        assertThat(failure.command()).isEqualTo("no.such.command");
        assertThat(host.calls().rpci("no.such.command")).isEqualTo(2);
    }

    @Test
    void aCommandAnOlderHostDoesNotKnowIsReportedAsUnknown() {
        host.rpci().unknown("log", true);

        assertThatThrownBy(() -> rpci.log("hello"))
                .isInstanceOfSatisfying(RpciException.class, e -> assertThat(e.isUnknownCommand()).isTrue());
        assertThat(host.log()).isEmpty();
    }

    @Test
    void aCommandTheVmRestrictsIsAPermissionDeniedException() {
        host.rpci().deny("info-get", true).deny("info-set", true).deny("app.secret", true);

        assertThat(rpci.send("app.secret").text()).isEqualTo(RpciPermissionDeniedException.PERMISSION_DENIED);
        assertThatThrownBy(() -> rpci.call("app.secret x"))
                .isInstanceOfSatisfying(RpciPermissionDeniedException.class, e -> {
                    assertThat(e.command()).isEqualTo("app.secret");
                    assertThat(e.reason()).isEqualTo("Permission denied");
                })
                .hasMessageContaining("guest_rpc.rpci.auth.cmd.app.secret");
        assertThatThrownBy(() -> rpci.guestInfo().get("ip"))
                .isInstanceOfSatisfying(RpciPermissionDeniedException.class,
                        e -> assertThat(e.command()).isEqualTo("info-get"));
        assertThatThrownBy(() -> rpci.guestInfo().set("ip", "10.0.0.5"))
                .isInstanceOfSatisfying(RpciPermissionDeniedException.class,
                        e -> assertThat(e.command()).isEqualTo("info-set"));
        assertThat(host.guestInfo().asMap()).isEmpty();
    }

    @Test
    void anInfoSetTheHostRefusesIsThrownWithItsReason() {
        SimulatedHost small = SimulatedHost.builder().guestInfoSizeLimit(64).build();
        RpciClient client = RpciClient.open(TransportSelector.over(small));
        try {
            client.guestInfo().set("a", "fits");

            assertThatThrownBy(() -> client.guestInfo().set("b", "x".repeat(100)))
                    .isInstanceOfSatisfying(RpciException.class, e -> {
                        assertThat(e.command()).isEqualTo("info-set");
                        assertThat(e.reason()).isNotBlank();
                    });
            assertThat(small.guestInfo().asMap()).containsOnlyKeys("guestinfo.a");
        } finally {
            client.close();
        }
    }

    @Test
    void aReplyThatIsNotUtf8IsAnErrorAsTextButReadableAsBytes() {
        host.guestInfo().put("ip", "10.0.0.5");
        host.faults().invalidUtf8Reply();

        assertThatThrownBy(() -> rpci.guestInfo().get("ip"))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("bytes()");

        host.faults().invalidUtf8Reply();
        assertThat(rpci.guestInfo().getBytes("ip")).hasValueSatisfying(
                v -> assertThat(v).containsExactly(0xC3, 0x28, 0xFF, 0xFE, 0x80));
        assertThat(host.faults().pending()).isEmpty();
    }

    @Test
    void aMalformedReplyIsAProtocolErrorNotAnAnswer() {
        host.rpci().handle("app.broken", args -> RpciResult.raw("OK".getBytes(StandardCharsets.US_ASCII)));

        assertThatThrownBy(() -> rpci.send("app.broken"))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("malformed RPCI reply \"OK\"");
        assertThat(rpci.send("no.such.command").success()).isFalse();
    }

    @Test
    void aMissingReplyIsAnErrorAndTheNextCommandGetsItsOwnReply() {
        host.guestInfo().put("a", "first").put("b", "second");
        host.faults().noReplyOnce();

        assertThatThrownBy(() -> rpci.guestInfo().get("a"))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("no reply");

        assertThat(rpci.guestInfo().get("b")).contains("second");
        assertThat(host.calls().rpci("info-get")).isEqualTo(2);
    }

    @Test
    void aHugeAnnouncedReplyIsRefusedWithoutAllocatingAndTheClientRecovers() {
        host.guestInfo().put("ip", "10.0.0.5");
        host.faults().announceReplyLength(0xFFFF_FFFFL);

        assertThatThrownBy(() -> rpci.guestInfo().get("ip"))
                .isInstanceOf(RpcMessageTooLargeException.class).hasMessageContaining("4294967295 bytes");

        assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");
        assertThat(host.openChannels()).isOne();
    }
}
