package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reply bytes from shared/protocol/tclo.md section 2 (open-vm-tools' rpcin.c format). */
class TcloReplyTest {

    @Test
    void okIsExactlyThreeBytesWithNoNul() {
        assertThat(TcloReply.ok().toBytes()).containsExactly('O', 'K', ' ');
    }

    @Test
    void repliesAreBytePrefixSpaceText() {
        assertThat(TcloReply.ok("ATR toolbox").toBytes()).isEqualTo("OK ATR toolbox".getBytes());
        assertThat(TcloReply.error("Unable to sync time").toBytes()).isEqualTo("ERROR Unable to sync time".getBytes());
        assertThat(TcloReply.error("").toBytes()).isEqualTo("ERROR ".getBytes());
    }

    @Test
    void unknownCommandUsesTheCapitalC() {
        assertThat(TcloReply.unknownCommand().toString()).isEqualTo("ERROR Unknown Command");
    }

    @Test
    void textIsUtf8() {
        assertThat(TcloReply.ok("\u00e9").toBytes()).containsExactly('O', 'K', ' ', 0xC3, 0xA9);
    }

    @Test
    void parseIsTheInverseOfToString() {
        assertThat(TcloReply.parse("OK ")).isEqualTo(TcloReply.ok());
        assertThat(TcloReply.parse("ERROR Bad command")).isEqualTo(TcloReply.error("Bad command"));
        assertThatIllegalArgumentException().isThrownBy(() -> TcloReply.parse("ERR x"));
    }

    @Test
    void handlerExceptionsBecomeAShortPrintableReason() {
        assertThat(TcloDispatcher.reason(new IllegalStateException("disk busy\nat line 2"))).isEqualTo("disk busy");
        assertThat(TcloDispatcher.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(TcloDispatcher.reason(new RuntimeException("a\tb"))).isEqualTo("a b");
        assertThat(TcloDispatcher.reason(new RuntimeException("x".repeat(1000)))).hasSize(TcloDispatcher.MAX_REASON);
    }

    @Test
    void anUnpairedSurrogateIsRefusedNamingItsIndexNeverSentAsAQuestionMark() {
        assertThatIllegalArgumentException().isThrownBy(() -> TcloReply.ok("x\uD800y"))
                .withMessageContaining("TCLO reply result").withMessageContaining("index 1");
        assertThatIllegalArgumentException().isThrownBy(() -> TcloReply.error("\uDC00"))
                .withMessageContaining("TCLO reply reason");
        assertThat(TcloReply.ok("\uD83D\uDE00").toBytes()).hasSize(3 + 4);   // a pair is one 4-byte code point
    }

    @Test
    void anExceptionMessageWithAnUnpairedSurrogateStillMakesAReply() {
        String reason = TcloDispatcher.reason(new IllegalStateException("bad \uD800 text"));
        assertThat(reason).isEqualTo("bad \uFFFD text");
        assertThat(TcloReply.error(reason).toBytes()).isEqualTo("ERROR bad \uFFFD text".getBytes(StandardCharsets.UTF_8));
    }
}
