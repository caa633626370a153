package dev.vmwguest.backdoor;

import static dev.vmwguest.backdoor.FakeHost.MAGIC;
import static dev.vmwguest.backdoor.FakeHost.NOT_HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Host time from GETTIMEFULL_WITH_LAG (55), GETTIMEFULL (46) and GETTIME (23),
 * backdoor.md section 7. Expected instants are written as dates (checked with
 * {@code date -u -d @seconds}), not computed with the decoder's arithmetic.
 */
class HostTimeTest {

    private static final int SECONDS_2023 = 1_700_000_000; // 2023-11-14T22:13:20Z

    @Test
    void getTimeFullDecodesSecondsMicrosecondsAndMaxLag() {
        // success: EAX left = magic, ESI = seconds 63..32, EDX = seconds 31..0, EBX = µs, ECX = max lag µs
        RegisterFrame out = RegisterFrame.of(MAGIC, 250_000, 4_000, SECONDS_2023, 0, 0, 0);

        HostTime time = HostTime.decode(46, out).orElseThrow();

        assertThat(time.time()).isEqualTo(Instant.parse("2023-11-14T22:13:20.250Z"));
        assertThat(time.maxLag()).isEqualTo(Duration.ofMillis(4));
        assertThat(time.interruptLag()).isEmpty();
        assertThat(time.command()).isEqualTo(46);
    }

    @Test
    void lowSecondsWordIsUnsigned() {
        // EDX = 0x80000001 with ESI = 0 is 2^31 + 1 seconds, not a negative number.
        RegisterFrame out = RegisterFrame.of(MAGIC, 123_456, 0, 0x8000_0001, 0, 0, 0);
        assertThat(HostTime.decode(46, out).orElseThrow().time())
                .isEqualTo(Instant.parse("2038-01-19T03:14:09.123456Z"));
    }

    @Test
    void highSecondsWordComesFromSi() {
        // ESI = 1, EDX = 0: 2^32 seconds.
        RegisterFrame out = RegisterFrame.of(MAGIC, 0, 0, 0, 1, 0, 0);
        assertThat(HostTime.decode(46, out).orElseThrow().time()).isEqualTo(Instant.parse("2106-02-07T06:28:16Z"));

        // ESI = 1, EDX = 0x80000000: 2^32 + 2^31 seconds; both words are combined, neither sign-extended.
        RegisterFrame both = RegisterFrame.of(MAGIC, 999_999, 0, 0x8000_0000, 1, 0, 0);
        assertThat(HostTime.decode(46, both).orElseThrow().time())
                .isEqualTo(Instant.parse("2174-02-25T09:42:24.999999Z"));
    }

    @Test
    void withLagAddsInterruptLagFromDi() {
        // as 46, plus EDI = current interrupt lag µs, ECX = configured max lag only.
        RegisterFrame out = RegisterFrame.of(MAGIC, 1, 100_000, SECONDS_2023, 0, 1_500, 0);

        HostTime time = HostTime.decode(55, out).orElseThrow();

        assertThat(time.time()).isEqualTo(Instant.parse("2023-11-14T22:13:20.000001Z"));
        assertThat(time.maxLag()).isEqualTo(Duration.ofMillis(100));
        assertThat(time.interruptLag()).contains(Duration.ofNanos(1_500_000));
        assertThat(time.command()).isEqualTo(55);
    }

    @Test
    void lagsAreUnsignedMicroseconds() {
        RegisterFrame out = RegisterFrame.of(MAGIC, 0, 0x8000_0000, SECONDS_2023, 0, 0xFFFF_FFFF, 0);

        HostTime time = HostTime.decode(55, out).orElseThrow();

        assertThat(time.maxLag()).isEqualTo(Duration.ofSeconds(2_147, 483_648_000));
        assertThat(time.interruptLag()).contains(Duration.ofSeconds(4_294, 967_295_000));
    }

    @Test
    void getTimeFullIsUnsupportedWhenAxIsNotTheMagic() {
        assertThat(HostTime.decode(46, RegisterFrame.of(NOT_HANDLED, 0, 46, 0x5658, 0, 0, 0))).isEmpty();
        assertThat(HostTime.decode(55, RegisterFrame.of(NOT_HANDLED, 0, 55, 0x5658, 0, 0, 0))).isEmpty();
        assertThat(HostTime.decode(46, RegisterFrame.of(0, 0, 0, SECONDS_2023, 0, 0, 0))).isEmpty();
    }

    @Test
    void getTimeIsThirtyTwoBitUnsignedSeconds() {
        // EAX = seconds (u32), EBX = µs, ECX = max lag µs.
        HostTime time = HostTime.decode(23, RegisterFrame.of(0x8000_0001, 500, 2_000, 0, 0, 0, 0)).orElseThrow();

        assertThat(time.time()).isEqualTo(Instant.parse("2038-01-19T03:14:09.000500Z"));
        assertThat(time.maxLag()).isEqualTo(Duration.ofMillis(2));
        assertThat(time.interruptLag()).isEmpty();
        assertThat(time.command()).isEqualTo(23);

        assertThat(HostTime.decode(23, RegisterFrame.of(SECONDS_2023, 0, 0, 0, 0, 0, 0)).orElseThrow().time())
                .isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
    }

    @Test
    void getTimeAllOnesIsAnError() {
        assertThat(HostTime.decode(23, RegisterFrame.of(NOT_HANDLED, 0, 23, 0x5658, 0, 0, 0))).isEmpty();
    }

    @Test
    void getTimeWithTheMagicStillInAxWasNotHandled() {
        // backdoor.md section 7: for commands that normally overwrite EAX, EAX in {magic, 0xFFFFFFFF}
        // means "not handled"; the magic must not be read as seconds (it would decode as a 2015 date).
        assertThat(HostTime.decode(23, new RegisterFrame().command(23))).isEmpty();
    }

    @Test
    void microsecondsOutsideASecondAreRejected() {
        assertThatThrownBy(() -> HostTime.decode(46, RegisterFrame.of(MAGIC, 1_000_000, 0, SECONDS_2023, 0, 0, 0)))
                .isInstanceOf(BackdoorException.class).hasMessageContaining("1000000");
        assertThatThrownBy(() -> HostTime.decode(23, RegisterFrame.of(SECONDS_2023, -1, 0, 0, 0, 0, 0)))
                .isInstanceOf(BackdoorException.class).hasMessageContaining("4294967295");
        assertThat(HostTime.decode(46, RegisterFrame.of(MAGIC, 999_999, 0, SECONDS_2023, 0, 0, 0))).isPresent();
    }

    @Test
    void decodeRejectsOtherCommands() {
        assertThatThrownBy(() -> HostTime.decode(10, new RegisterFrame()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void queryUsesWithLagWhenTheHostAnswersIt() {
        FakeHost host = fullHost();

        HostTime time = HostTime.query(host, new RegisterFrame()).orElseThrow();

        assertThat(host.commands).containsExactly(55);
        assertThat(time.command()).isEqualTo(55);
        assertThat(time.time()).isEqualTo(Instant.parse("2023-11-14T22:13:20.000055Z"));
        assertThat(time.interruptLag()).contains(Duration.ofNanos(7_000));
    }

    @Test
    void queryFallsBackToGetTimeFull() {
        FakeHost host = fullHost().answer(55, f -> f.ax(NOT_HANDLED));

        HostTime time = HostTime.query(host, new RegisterFrame()).orElseThrow();

        assertThat(host.commands).containsExactly(55, 46);
        assertThat(time.command()).isEqualTo(46);
        assertThat(time.time()).isEqualTo(Instant.parse("2023-11-14T22:13:20.000046Z"));
        assertThat(time.interruptLag()).isEmpty();
    }

    @Test
    void queryFallsBackToGetTime() {
        FakeHost host = new FakeHost()
                .answer(23, f -> f.ax(SECONDS_2023).bx(23).cx(0)); // 55 and 46 unknown: ax := 0xFFFFFFFF

        HostTime time = HostTime.query(host, new RegisterFrame()).orElseThrow();

        assertThat(host.commands).containsExactly(55, 46, 23);
        assertThat(time.command()).isEqualTo(23);
        assertThat(time.time()).isEqualTo(Instant.parse("2023-11-14T22:13:20.000023Z"));
    }

    @Test
    void queryIsEmptyWhenNoTimeCommandIsAnswered() {
        FakeHost host = new FakeHost(); // QEMU 7.2: none of 55, 46, 23

        assertThat(HostTime.query(host, new RegisterFrame())).isEmpty();
        assertThat(host.commands).containsExactly(55, 46, 23);
    }

    @Test
    void queryStartsEveryCallFromACleanRequest() {
        FakeHost host = new FakeHost();
        HostTime.query(host, RegisterFrame.of(1, 2, 3, 4, 5, 6, 7));

        for (int i = 0; i < host.inputs.size(); i++) {
            RegisterFrame in = host.inputs.get(i);
            assertThat(in.ax()).isEqualTo(MAGIC);
            assertThat(in.cx()).isEqualTo(host.commands.get(i));
            assertThat(in.dx() & 0xFFFF).isEqualTo(0x5658);
        }
    }

    /** A host that answers 55, 46 and 23; the microseconds field names the command that answered. */
    static FakeHost fullHost() {
        return new FakeHost()
                .answer(55, f -> f.ax(MAGIC).bx(55).cx(3_000).dx(SECONDS_2023).si(0).di(7))
                .answer(46, f -> f.ax(MAGIC).bx(46).cx(3_000).dx(SECONDS_2023).si(0))
                .answer(23, f -> f.ax(SECONDS_2023).bx(23).cx(3_000));
    }
}
