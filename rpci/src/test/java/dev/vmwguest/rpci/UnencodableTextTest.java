package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Text without a UTF-8 form is refused on every path, naming the index; the host never gets a '?' in its place. */
class UnencodableTextTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final RpciClient rpci = RpciClient.open(TransportSelector.over(host));

    @AfterEach
    void closeClient() {
        rpci.close();
    }

    /** Each text path, with the text it sends and where in that text the unpaired surrogate sits. */
    static Stream<Arguments> paths() {
        return Stream.of(
                path("guestinfo set", c -> c.guestInfo().set("k", "x\uD800y"), "value for guestinfo.k", 1),
                path("log", c -> c.log("line \uDC00"), "log text", 5),
                path("raw send", c -> c.send("info-set guestinfo.k x\uD800y"), "command", 22),
                path("call", c -> c.call("info-set guestinfo.k \uDBFF"), "command", 21),
                path("guest fact", c -> c.tools().reportGuestInfo(GuestInfoType.DNS_NAME, "\uDC00\uD800"), "value", 0),
                path("capability arguments", c -> c.tools().registerCapability("x", "a\uD800"),
                        "capability arguments", 1));
    }

    private static Arguments path(String name, Consumer<RpciClient> call, String what, int index) {
        return Arguments.of(name, call, what, index);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void anUnpairedSurrogateIsRefusedBeforeAnyBackdoorCall(String path, Consumer<RpciClient> call, String what,
            int index) {
        long before = host.calls().total();

        assertThatIllegalArgumentException().isThrownBy(() -> call.accept(rpci))
                .withMessageStartingWith(what + " has an unpaired surrogate")
                .withMessageContaining("at index " + index);

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(host.guestInfo().get("guestinfo.k")).isEmpty();
        assertThat(host.log()).noneMatch(line -> line.contains("?"));
    }

    @Test
    void aPairedSurrogateIsOneCharacterAndReachesTheHostIntact() {
        String emoji = "smile \uD83D\uDE00 end";

        rpci.guestInfo().set("k", emoji);
        rpci.log(emoji);

        assertThat(host.guestInfo().get("guestinfo.k")).contains(emoji);
        assertThat(host.log()).anyMatch(line -> line.contains(emoji));
    }

    @Test
    void wireTextChecksAndEncodesAsItsJavadocShows() {
        byte[] wire = WireText.utf8("caf\u00e9", "value");

        assertThat(wire).hasSize(5).isEqualTo("caf\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThatIllegalArgumentException().isThrownBy(() -> WireText.utf8("x\uD800y", "value"))
                .withMessageContaining("index 1").withMessageContaining("U+D800")
                .withMessageNotContaining("x\uD800y");
        assertThat(WireText.indexOfUnpairedSurrogate("ab\uD83D\uDE00")).isEqualTo(-1);
        assertThat(WireText.indexOfUnpairedSurrogate("ab\uD83D")).isEqualTo(2);
        assertThat(WireText.indexOfUnpairedSurrogate("\uDE00\uD83D")).isZero();
        assertThat(WireText.requireEncodable("", "empty")).isEmpty();
    }
}
