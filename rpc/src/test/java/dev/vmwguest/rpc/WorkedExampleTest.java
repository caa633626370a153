package dev.vmwguest.rpc;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The worked example of shared/protocol/guestrpc-channel.md section 8
 * ({@code info-set guestinfo.foo bar}, channel 3, cookies 0x1A2B3C4D /
 * 0x5E6F7081), register by register.
 */
class WorkedExampleTest {

    private static final int ID = 3;
    private static final int COOKIE_HIGH = 0x1A2B3C4D;
    private static final int COOKIE_LOW = 0x5E6F7081;
    private static final byte[] REQUEST = "info-set guestinfo.foo bar".getBytes(US_ASCII);

    private static ScriptedBackdoor hostThatOpensChannelThree() {
        return new ScriptedBackdoor().answer(f -> f.cx(0x0001_0000).dx(ID << 16).si(COOKIE_HIGH).di(COOKIE_LOW));
    }

    @Test
    void theHighBandwidthExchangeMatchesSection81CallForCall() {
        ScriptedBackdoor host = hostThatOpensChannelThree()
                .answer(f -> f.cx(0x0081 << 16))
                .answer(f -> f.cx(0x0083 << 16).bx(2).dx(0x0001_0000))
                .highBandwidthReply("1 ".getBytes(US_ASCII))
                .answer(f -> f.cx(0x0001 << 16))
                .answer(f -> f.cx(0x0001 << 16));

        try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI, RpcChannelOptions.defaults()
                .withHighBandwidth(HighBandwidthPolicy.AUTO))) {
            assertThat(channel.call(REQUEST)).asString(US_ASCII).isEqualTo("1 ");
        }

        assertThat(host.calls).extracting(ScriptedBackdoor.Call::kind).containsExactly(
                "in", "in", "rep outsb", "in", "rep insb", "in", "in");
        var open = host.calls.get(0).in();
        assertThat(open.ax()).isEqualTo(0x564D5868);
        assertThat(open.bx()).isEqualTo(0xC9435052);
        assertThat(open.cx()).isEqualTo(0x0000001E);
        assertThat(open.dx() & 0xFFFF).isEqualTo(0x5658);
        assertLowBandwidth(host.calls.get(1).in(), 0x0001001E, 26);
        var hbOut = host.calls.get(2).in();
        assertThat(hbOut.bx()).isEqualTo(0x0001_0000);
        assertThat(hbOut.cx()).isEqualTo(26);
        assertThat(hbOut.dx()).isEqualTo(0x0003_5659);
        assertThat(hbOut.di()).isEqualTo(COOKIE_LOW);
        assertThat(hbOut.bp()).isEqualTo(COOKIE_HIGH);
        assertThat(host.calls.get(2).payload()).isEqualTo(REQUEST);
        assertLowBandwidth(host.calls.get(3).in(), 0x0003001E, 0);
        var hbIn = host.calls.get(4).in();
        assertThat(hbIn.bx()).isEqualTo(0x0001_0000);
        assertThat(hbIn.cx()).isEqualTo(2);
        assertThat(hbIn.dx()).isEqualTo(0x0003_5659);
        assertThat(hbIn.si()).isEqualTo(COOKIE_HIGH);
        assertThat(hbIn.bp()).isEqualTo(COOKIE_LOW);
        assertLowBandwidth(host.calls.get(5).in(), 0x0005001E, 1);
        assertLowBandwidth(host.calls.get(6).in(), 0x0006001E, 0);
    }

    @Test
    void theLowBandwidthExchangeMatchesSection82WordForWord() {
        ScriptedBackdoor host = hostThatOpensChannelThree().answer(f -> f.cx(0x0001 << 16));
        for (int word = 0; word < 7; word++) {
            host.answer(f -> f.cx(0x0001 << 16));
        }
        host.answer(f -> f.cx(0x0003 << 16).bx(2).dx(0x0001_0000))
                .answer(f -> f.cx(0x0001 << 16).bx(0x00002031).dx(0x0002_0000))
                .answer(f -> f.cx(0x0001 << 16))
                .answer(f -> f.cx(0x0001 << 16));

        try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI)) {
            assertThat(channel.call(REQUEST)).asString(US_ASCII).isEqualTo("1 ");
        }

        assertThat(host.calls).hasSize(13);
        int[] words = {0x6F666E69, 0x7465732D, 0x65756720, 0x6E697473, 0x662E6F66, 0x62206F6F, 0x00007261};
        assertLowBandwidth(host.calls.get(1).in(), 0x0001001E, 0x1A);
        for (int i = 0; i < words.length; i++) {
            assertLowBandwidth(host.calls.get(2 + i).in(), 0x0002001E, words[i]);
        }
        assertLowBandwidth(host.calls.get(9).in(), 0x0003001E, 0);
        assertLowBandwidth(host.calls.get(10).in(), 0x0004001E, 1);
        assertLowBandwidth(host.calls.get(11).in(), 0x0005001E, 1);
        assertLowBandwidth(host.calls.get(12).in(), 0x0006001E, 0);
    }

    private static void assertLowBandwidth(dev.vmwguest.backdoor.RegisterFrame in, int cx, int bx) {
        assertThat(in.ax()).as("ax").isEqualTo(0x564D5868);
        assertThat(in.cx()).as("cx").isEqualTo(cx);
        assertThat(in.bx()).as("bx").isEqualTo(bx);
        assertThat(in.dx()).as("dx").isEqualTo(0x0003_5658);
        assertThat(in.si()).as("si").isEqualTo(COOKIE_HIGH);
        assertThat(in.di()).as("di").isEqualTo(COOKIE_LOW);
    }
}
