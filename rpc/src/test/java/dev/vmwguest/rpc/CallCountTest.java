package dev.vmwguest.rpc;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.CallCounters;
import dev.vmwguest.hostsim.CookieMode;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exact backdoor calls per operation, as counted by the host: each one is a VM
 * exit on real hardware. The formulas are those of guestrpc-channel.md section 8
 * and observed-clients.md: a round trip is 5 calls over high bandwidth
 * (SEND_SIZE, rep outsb, RECEIVE_SIZE, rep insb, RECEIVE_STATUS; 4 when the
 * reply is empty, which has no payload step), and 3 + ceil(n/4) + ceil(r/4)
 * over low bandwidth; OPEN and CLOSE add one each.
 */
class CallCountTest {

    private static final RpcChannelOptions HIGH = RpcChannelOptions.defaults()
            .withHighBandwidth(HighBandwidthPolicy.AUTO);
    private static final RpcChannelOptions LOW = RpcChannelOptions.defaults()
            .withHighBandwidth(HighBandwidthPolicy.NEVER);

    private final SimulatedHost host = SimulatedHost.builder().transcript(false).build();

    @BeforeEach
    void highBandwidthIsPossibleInThisGuest() {
        assumeTrue(HighBandwidthPolicy.AUTO.permitsHighBandwidth(), "this guest's memory is encrypted");
    }

    /** A request of exactly {@code n} bytes (command {@code x}) whose reply is exactly {@code r} bytes. */
    private byte[] requestAndReply(int n, int r) {
        host.rpci().handle("x", args -> RpciResult.raw(new byte[r]));
        byte[] request = new byte[n];
        Arrays.fill(request, (byte) 'a');
        request[0] = 'x';
        if (n > 1) {
            request[1] = ' ';
        }
        return request;
    }

    @ParameterizedTest(name = "{0}-byte request, {1}-byte reply: HB {2}, LB {3}")
    @CsvSource({
        // n,     r,      HB, LB = 3 + ceil(n/4) + ceil(r/4)
        "1,       0,      4,  4",
        "1,       1,      5,  5",
        "4,       4,      5,  5",
        "5,       5,      5,  7",
        "26,      2,      5,  11",     // the worked example, section 8: 7 and 13 with OPEN and CLOSE
        "22,      16,     5,  13",     // info-get guestinfo.missing -> 0 No value found
        "1023,    1024,   5,  515",
        "65536,   2,      5,  16388",
        "22,      65536,  5,  16393",
        "65536,   65536,  5,  32771",
    })
    void aRoundTripCostsFiveCallsOverHighBandwidthAndOnePerWordOverLowBandwidth(int n, int r, int hb, int lb) {
        byte[] request = requestAndReply(n, r);
        assertThat(lb).isEqualTo(3 + Echo.words(n) + Echo.words(r));

        try (RpcChannel high = RpcChannel.open(host, RpcProtocol.RPCI, HIGH);
                RpcChannel low = RpcChannel.open(host, RpcProtocol.RPCI, LOW)) {
            CallCounters.Snapshot before = host.calls().snapshot();
            assertThat(high.call(request)).hasSize(r);
            CallCounters.Snapshot afterHigh = host.calls().snapshot();
            assertThat(low.call(request)).hasSize(r);
            CallCounters.Snapshot afterLow = host.calls().snapshot();

            assertThat(afterHigh.total() - before.total()).as("high bandwidth").isEqualTo(hb);
            assertThat(afterHigh.highBandwidthOut() - before.highBandwidthOut()).isEqualTo(1);
            assertThat(afterHigh.highBandwidthIn() - before.highBandwidthIn()).isEqualTo(r > 0 ? 1 : 0);
            assertThat(afterLow.total() - afterHigh.total()).as("low bandwidth").isEqualTo(lb);
            assertThat(delta(afterHigh, afterLow, MessageType.SEND_PAYLOAD)).isEqualTo(Echo.words(n));
            assertThat(delta(afterHigh, afterLow, MessageType.RECEIVE_PAYLOAD)).isEqualTo(Echo.words(r));
            assertThat(afterLow.highBandwidthOut() + afterLow.highBandwidthIn())
                    .isEqualTo(afterHigh.highBandwidthOut() + afterHigh.highBandwidthIn());
        }
        assertThat(host.calls().violations()).isZero();
    }

    private static long delta(CallCounters.Snapshot before, CallCounters.Snapshot after, MessageType type) {
        return after.byType().get(type) - before.byType().get(type);
    }

    @Test
    void aOneShotRpciIsSevenCallsOverHighBandwidthAsInSection81() {
        byte[] request = "info-set guestinfo.foo bar".getBytes(US_ASCII);

        try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI, HIGH)) {
            assertThat(channel.call(request)).asString(US_ASCII).isEqualTo("1 ");
        }

        assertThat(host.calls().total()).isEqualTo(7);
        assertThat(host.calls().snapshot().byType()).containsAllEntriesOf(Map.of(MessageType.OPEN, 1L,
                MessageType.SEND_SIZE, 1L, MessageType.SEND_PAYLOAD, 0L, MessageType.RECEIVE_SIZE, 1L,
                MessageType.RECEIVE_PAYLOAD, 0L, MessageType.RECEIVE_STATUS, 1L, MessageType.CLOSE, 1L));
        assertThat(host.calls().opens()).isEqualTo(1);
        assertThat(host.calls().closes()).isEqualTo(1);
    }

    @Test
    void theSameOneShotIsThirteenCallsOverLowBandwidthAsInSection82() {
        try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI, LOW)) {
            channel.call("info-set guestinfo.foo bar".getBytes(US_ASCII));
        }

        assertThat(host.calls().total()).isEqualTo(13);
        assertThat(host.calls().of(MessageType.SEND_PAYLOAD)).isEqualTo(7);
        assertThat(host.calls().of(MessageType.RECEIVE_PAYLOAD)).isEqualTo(1);
    }

    @Test
    void openingAndClosingCostOneCallEachAndCloseIsNotRepeated() {
        RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI, HIGH);
        assertThat(host.calls().total()).isEqualTo(1);
        assertThat(host.openChannels()).isEqualTo(1);
        assertThat(channel.hasCookies()).isTrue();

        channel.close();
        channel.close();

        assertThat(host.calls().total()).isEqualTo(2);
        assertThat(host.calls().closes()).isEqualTo(1);
        assertThat(host.openChannels()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHostWithoutCookiesCostsOneExtraOpenAndNothingElse() {
        SimulatedHost old = SimulatedHost.builder().cookies(CookieMode.UNSUPPORTED).build();

        try (RpcChannel channel = RpcChannel.open(old, RpcProtocol.RPCI, HIGH)) {
            assertThat(channel.hasCookies()).isFalse();
            assertThat(old.calls().of(MessageType.OPEN)).isEqualTo(2);   // flagged OPEN refused, then flag-less
            assertThat(old.calls().opens()).isEqualTo(1);
            long before = old.calls().total();
            assertThat(channel.call("log hello".getBytes(US_ASCII))).asString(US_ASCII).isEqualTo("1 ");
            assertThat(old.calls().total() - before).isEqualTo(5);
        }

        // observed-clients.md: vmware-rpctool's "log hello" on such a host is 10 calls, 2 of them GETVERSION.
        assertThat(old.calls().total()).isEqualTo(8);
        assertThat(old.log()).containsExactly("hello");
        assertThat(old.openChannels()).isZero();
        assertThat(old.calls().violations()).isZero();
    }

    @Test
    void aHostThatRequiresCookiesGetsThemOnTheFirstOpen() {
        SimulatedHost strict = SimulatedHost.builder().cookies(CookieMode.REQUIRED).build();

        try (RpcChannel channel = RpcChannel.open(strict, RpcProtocol.RPCI, HIGH)) {
            assertThat(channel.hasCookies()).isTrue();
            channel.call("log hello".getBytes(US_ASCII));
        }

        assertThat(strict.calls().of(MessageType.OPEN)).isEqualTo(1);
        assertThat(strict.calls().total()).isEqualTo(7);
    }

    @Test
    void anEmptySendIsOneCallAndAnEmptyReceiveIsOne() {
        try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.TCLO, HIGH)) {
            long before = host.calls().total();
            channel.send(new byte[0]);
            assertThat(host.calls().total() - before).isEqualTo(1);

            // A fresh TCLO channel is offered "reset" after its first poll: RECEIVE_SIZE, rep insb, RECEIVE_STATUS.
            assertThat(channel.receive()).hasValueSatisfying(
                    command -> assertThat(command).asString(US_ASCII).isEqualTo("reset"));
            assertThat(host.calls().total() - before).isEqualTo(4);

            channel.send("OK ATR toolbox".getBytes(US_ASCII));
            assertThat(channel.receive()).isEmpty();
            assertThat(host.calls().total() - before).isEqualTo(7);

            // The idle TCLO poll of section 8.3: 2 calls.
            long idle = host.calls().total();
            channel.send(new byte[0]);
            assertThat(channel.receive()).isEmpty();
            assertThat(host.calls().total() - idle).isEqualTo(2);
        }
        assertThat(host.tclo().attachedApps()).isEmpty();
        assertThat(host.calls().violations()).isZero();
    }
}
