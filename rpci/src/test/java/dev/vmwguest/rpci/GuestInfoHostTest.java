package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** guestinfo against the simulated host: what the guest sets is what the host stores, and back. */
class GuestInfoHostTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final RpciClient rpci = RpciClient.open(TransportSelector.over(host));

    @AfterEach
    void closeClient() {
        rpci.close();
    }

    /** Bytes 1..255: every value a text request can carry (the host ends a text request at its first NUL). */
    private static byte[] everyByteButNul() {
        byte[] bytes = new byte[255];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i + 1);
        }
        return bytes;
    }

    @Test
    void aRawInfoSetIsReadBackThroughGuestInfoAndStoredOnTheHost() {
        RpciReply reply = rpci.send("info-set guestinfo.ip 10.0.0.5");

        assertThat(reply.success()).isTrue();
        assertThat(reply.length()).isZero();
        assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");
        assertThat(rpci.guestInfo().get("guestinfo.ip")).contains("10.0.0.5");
        assertThat(host.guestInfo().get("guestinfo.ip")).contains("10.0.0.5");
        assertThat(host.calls().rpci("info-set")).isEqualTo(1);
        assertThat(host.calls().rpci("info-get")).isEqualTo(2);
    }

    @Test
    void setAddsThePrefixAndTheHostStoresTheValue() {
        rpci.guestInfo().set("role", "web");

        assertThat(host.guestInfo().asMap()).containsEntry("guestinfo.role", "web");
        assertThat(rpci.send("info-get guestinfo.role").text()).isEqualTo("web");
    }

    @Test
    void aValueThePresetConfigurationHoldsIsReadAsTheHostHasIt() {
        host.guestInfo().put("guestinfo.Datacenter", "eu-west");

        assertThat(rpci.guestInfo().get("guestinfo.datacenter")).contains("eu-west");
        assertThat(rpci.guestInfo().get("GuestInfo.Datacenter")).contains("eu-west");
    }

    @Test
    void aMissingKeyIsEmptyBecauseTheHostSaysNoValueFound() {
        assertThat(rpci.send("info-get guestinfo.missing").toString()).isEqualTo("0 \"No value found\"");

        assertThat(rpci.guestInfo().get("missing")).isEmpty();
        assertThat(rpci.guestInfo().getBytes("missing")).isEmpty();
        assertThat(host.calls().rpci("info-get")).isEqualTo(3);
    }

    @Test
    void aFailureOtherThanNoValueFoundIsAnErrorNotAnEmptyValue() {
        host.rpci().handle("info-get", args -> RpciResult.error("No value found yet"));

        assertThatThrownBy(() -> rpci.guestInfo().get("ip"))
                .isInstanceOf(RpciException.class)
                .hasMessageContaining("No value found yet");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "plain",
        "with spaces  inside and at the end ",
        " leading space",
        "two\nlines\r\nand a tab\t.",
        "Gr\u00fc\u00dfe, \u0436\u0443\u0440\u043d\u0430\u043b, \u65e5\u672c\u8a9e",
        "emoji \ud83d\ude80\ud83e\uddea and a flag \ud83c\uddea\ud83c\uddfa",
        "key=value \"quoted\" 'single' \\backslash",
    })
    void textValuesRoundTripThroughTheHostUnchanged(String value) {
        rpci.guestInfo().set("text", value);

        assertThat(host.guestInfo().getBytes("text")).hasValueSatisfying(
                stored -> assertThat(stored).isEqualTo(value.getBytes(StandardCharsets.UTF_8)));
        assertThat(rpci.guestInfo().get("text")).contains(value);
    }

    @Test
    void anEmptyValueIsStoredAsEmptyAndReadBackAsPresent() {
        rpci.guestInfo().set("appInfo", "");

        assertThat(host.guestInfo().get("appInfo")).contains("");
        assertThat(rpci.guestInfo().get("appInfo")).contains("");
        assertThat(rpci.guestInfo().getBytes("appInfo")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    }

    @Test
    void aLaterSetReplacesTheValue() {
        rpci.guestInfo().set("ip", "10.0.0.5");
        rpci.guestInfo().set("ip", "10.0.0.6");

        assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.6");
    }

    @Test
    void everyByteTheHostStoresIsReadBackExactly() {
        byte[] value = everyByteButNul();
        host.guestInfo().put("bin", value);

        assertThat(rpci.guestInfo().getBytes("bin")).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    }

    @Test
    void everyByteButNulRoundTripsThroughTheHostsOwnStore() {
        byte[] value = everyByteButNul();

        rpci.guestInfo().setBytes("bin", value);

        assertThat(host.guestInfo().getBytes("guestinfo.bin")).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
        assertThat(rpci.guestInfo().getBytes("bin")).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    }

    @Test
    void theLargestValueOneMessageCarriesIsStored() {
        int max = rpci.guestInfo().maxValueBytes("big");
        byte[] value = new byte[max];
        Arrays.fill(value, (byte) 'x');

        rpci.guestInfo().setBytes("big", value);

        assertThat(max).isEqualTo(65_536 - "info-set guestinfo.big ".length());
        assertThat(host.guestInfo().getBytes("big")).hasValueSatisfying(v -> assertThat(v).hasSize(max));
        assertThat(rpci.guestInfo().getBytes("big")).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    }
}
