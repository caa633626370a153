package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcMessageTooLargeException;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad keys and values are refused before the first backdoor call: the host never sees them. */
class GuestInfoValidationTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final RpciClient rpci = RpciClient.open(TransportSelector.over(host));

    @AfterEach
    void closeClient() {
        rpci.close();
    }

    /** Every GuestInfo operation that takes a key. */
    private static final Map<String, BiConsumer<GuestInfo, String>> WITH_KEY = Map.of(
            "get", GuestInfo::get,
            "getBytes", GuestInfo::getBytes,
            "set", (info, key) -> info.set(key, "v"),
            "setBytes", (info, key) -> info.setBytes(key, new byte[] {'v'}),
            "maxValueBytes", GuestInfo::maxValueBytes);

    @ParameterizedTest(name = "[{index}] {1} in \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "'with space'|a space|14",
        "'new\nline'|a newline|13",
        "'tab\there'|a tab|13",
        "'cr\r'|a carriage return|12",
        "'nul\0x'|a NUL|13",
        "'bell\u0007'|a control character|14",
        "'esc\u001b[0m'|a control character|13",
        "'del\u007f'|a control character|13",
        "'guestinfo.a b'|a space|11",
        "'guestinfo.trailing '|a space|18",
        "'caf\u00e9'|a non-ASCII character|13",
        "'k=v'|'='|11",
    })
    void aBadKeyIsRejectedByCharacterAndIndexWithoutAnyBackdoorCall(String key, String what, int index) {
        long before = host.calls().total();

        WITH_KEY.forEach((operation, call) -> assertThatIllegalArgumentException()
                .as(operation)
                .isThrownBy(() -> call.accept(rpci.guestInfo(), key))
                .withMessageContaining("guestinfo key")
                .withMessageContaining(what)
                .withMessageContaining("at index " + index));

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(host.guestInfo().asMap()).isEmpty();
    }

    @Test
    void emptyKeysAndABarePrefixAreRejectedWithoutAnyBackdoorCall() {
        long before = host.calls().total();

        for (String key : new String[] {"", "guestinfo.", "GUESTINFO."}) {
            WITH_KEY.forEach((operation, call) -> assertThatIllegalArgumentException()
                    .as(operation + " of '" + key + "'")
                    .isThrownBy(() -> call.accept(rpci.guestInfo(), key))
                    .withMessageContaining("guestinfo key"));
        }

        assertThat(host.calls().total()).isEqualTo(before);
    }

    @Test
    void thePrefixIsAddedWhenMissingAndNeverDoubled() {
        rpci.guestInfo().set("short", "1");
        rpci.guestInfo().set("guestinfo.full", "2");
        rpci.guestInfo().set("GuestInfo.Mixed", "3");

        assertThat(host.guestInfo().asMap()).containsOnlyKeys("guestinfo.short", "guestinfo.full", "GuestInfo.Mixed");
        assertThat(host.calls().rpci("info-set")).isEqualTo(3);
    }

    @Test
    void aKeyFromAnotherNamespaceIsReadInsideTheGuestNamespace() {
        host.guestInfo().put("guestinfo.uuid.bios", "inside");

        assertThat(rpci.guestInfo().get("uuid.bios")).contains("inside");
    }

    @Test
    void aValueOverTheMessageLimitIsRejectedBeforeAnyBackdoorCall() {
        int max = rpci.guestInfo().maxValueBytes("big");
        long before = host.calls().total();

        assertThatIllegalArgumentException().isThrownBy(() -> rpci.guestInfo().setBytes("big", new byte[max + 1]))
                .withMessageContaining("guestinfo.big")
                .withMessageContaining((max + 1) + " bytes")
                .withMessageContaining("at most " + max);

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(host.guestInfo().get("big")).isEmpty();
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        int max = rpci.guestInfo().maxValueBytes("text");
        String twoBytesEach = "\u00e9".repeat(max / 2 + 1);   // fewer characters than max, more bytes
        long before = host.calls().total();

        assertThatIllegalArgumentException().isThrownBy(() -> rpci.guestInfo().set("text", twoBytesEach))
                .withMessageContaining("at most " + max);

        assertThat(twoBytesEach.length()).isLessThan(max);
        assertThat(host.calls().total()).isEqualTo(before);
    }

    @Test
    void theLimitFollowsASmallerChannelSendLimit() {
        RpciClient small = RpciClient.open(TransportSelector.over(host),
                RpciOptions.defaults().withChannelOptions(RpcChannelOptions.defaults().withMaxSendSize(100)));
        try {
            int max = small.guestInfo().maxValueBytes("k");
            long before = host.calls().total();

            assertThat(max).isEqualTo(100 - "info-set guestinfo.k ".length());
            assertThatIllegalArgumentException().isThrownBy(() -> small.guestInfo().setBytes("k", new byte[max + 1]));
            assertThat(host.calls().total()).isEqualTo(before);

            small.guestInfo().setBytes("k", filled(max));
            assertThat(host.guestInfo().getBytes("k")).hasValueSatisfying(v -> assertThat(v).hasSize(max));
        } finally {
            small.close();
        }
    }

    @Test
    void aRawCommandOverTheHostsLimitIsRejectedBeforeAnyBackdoorCall() {
        long before = host.calls().total();

        assertThatThrownBy(() -> rpci.send("log " + "x".repeat(65_536)))
                .isInstanceOf(RpcMessageTooLargeException.class)
                .hasMessageContaining("65540 bytes");

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(rpci.send("log still usable").success()).isTrue();
    }

    @Test
    void aValueWithANulIsRejectedBecauseTheHostWouldCutItThere() {
        byte[] value = "before\0after".getBytes(StandardCharsets.US_ASCII);
        long before = host.calls().total();

        assertThatIllegalArgumentException().isThrownBy(() -> rpci.guestInfo().setBytes("nul", value))
                .withMessageContaining("guestinfo.nul")
                .withMessageContaining("NUL at index 6");
        assertThatIllegalArgumentException().isThrownBy(() -> rpci.guestInfo().set("nul", "x\0"))
                .withMessageContaining("NUL at index 1");

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(host.guestInfo().get("nul")).isEmpty();
    }

    @Test
    void whyANulIsRefusedTheHostEndsATextCommandThere() {
        rpci.sendBytes("info-set guestinfo.nul before\0after".getBytes(StandardCharsets.US_ASCII));

        assertThat(host.guestInfo().get("nul")).contains("before");
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'v');
        return bytes;
    }
}
