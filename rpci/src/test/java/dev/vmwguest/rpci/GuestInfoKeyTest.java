package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Keys that would let a value smuggle a second argument never reach the host. */
class GuestInfoKeyTest {

    @Test
    void prefixIsAddedOnceAndMatchedCaseInsensitively() {
        assertThat(GuestInfoKey.of("ip").name()).isEqualTo("guestinfo.ip");
        assertThat(GuestInfoKey.of("guestinfo.ip").name()).isEqualTo("guestinfo.ip");
        assertThat(GuestInfoKey.of("GuestInfo.IP").name()).isEqualTo("GuestInfo.IP");
        assertThat(GuestInfoKey.of("ip").shortName()).isEqualTo("ip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b-c_d", "x/y:z", "~!@#$%^&*()[]{}<>,;?|'`+", "guestinfo.guestinfo."})
    void printableAsciiIsAccepted(String key) {
        assertThat(GuestInfoKey.of(key).name()).endsWith(key);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "'a b'|a space|1",
        "'a\tb'|a tab|1",
        "'a\nb'|a newline|1",
        "'ab\r'|a carriage return|2",
        "'a=b'|'='|1",
        "'a\"b'|a quote|1",
        "'a\u00e9'|a non-ASCII character|1",
        "'a\u0001'|a control character|1",
        "'a\u007f'|a control character|1",
    })
    void misparsedCharactersAreRejectedByNameAndIndex(String key, String what, int index) {
        int indexInFullKey = GuestInfoKey.PREFIX.length() + index;
        assertThatThrownBy(() -> GuestInfoKey.of(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("index " + indexInFullKey);
    }

    @Test
    void nulAndEmptyAreRejected() {
        assertThatThrownBy(() -> GuestInfoKey.of("a\0")).hasMessageContaining("a NUL");
        assertThatThrownBy(() -> GuestInfoKey.of("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> GuestInfoKey.of("guestinfo.")).hasMessageContaining("nothing after the prefix");
        assertThatThrownBy(() -> new GuestInfoKey("ip")).hasMessageContaining("must start with");
    }

    @Test
    void errorMessagesShowUnprintableCharactersEscaped() {
        assertThatThrownBy(() -> GuestInfoKey.of("a\nb")).hasMessageContaining("guestinfo.a\\u000Ab");
    }
}
