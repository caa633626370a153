package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.rpc.RpcProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RpciReplyTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void successAndFailurePrefixesAreSplitOff() {
        RpciReply ok = RpciReply.parse(bytes("1 10.0.0.5"));
        assertThat(ok.success()).isTrue();
        assertThat(ok.text()).isEqualTo("10.0.0.5");
        RpciReply failed = RpciReply.parse(bytes("0 No value found"));
        assertThat(failed.success()).isFalse();
        assertThat(failed.text()).isEqualTo(GuestInfo.NO_VALUE_FOUND);
        assertThat(RpciReply.parse(bytes("1 ")).length()).isZero();
    }

    @Test
    void malformedRepliesAreTypedErrors() {
        for (String raw : new String[] {"", "1", "2 x", "1x", "ok"}) {
            assertThatThrownBy(() -> RpciReply.parse(bytes(raw)))
                    .as(raw).isInstanceOf(RpcProtocolException.class).hasMessageContaining("malformed RPCI reply");
        }
    }

    @Test
    void invalidUtf8IsReportedNotReplaced() {
        RpciReply reply = RpciReply.parse(new byte[] {'1', ' ', (byte) 0xC3, 0x28});
        assertThatThrownBy(reply::text).isInstanceOf(RpcProtocolException.class).hasMessageContaining("bytes()");
        assertThat(reply.bytes()).containsExactly(0xC3, 0x28);
    }

    @Test
    void bytesAreACopyAndEqualityIsByValue() {
        RpciReply reply = RpciReply.parse(bytes("1 abc"));
        reply.bytes()[0] = 'z';
        assertThat(reply.text()).isEqualTo("abc");
        assertThat(reply).isEqualTo(RpciReply.parse(bytes("1 abc"))).isNotEqualTo(RpciReply.parse(bytes("0 abc")));
        assertThat(reply.hashCode()).isEqualTo(RpciReply.parse(bytes("1 abc")).hashCode());
        assertThat(RpciReply.parse(new byte[] {'0', ' ', 1}).toString()).isEqualTo("0 \"\\x01\"");
    }
}
