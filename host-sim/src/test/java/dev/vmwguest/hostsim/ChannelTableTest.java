package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static dev.vmwguest.hostsim.RawGuest.SUCCESS;
import static dev.vmwguest.hostsim.RawGuest.TCLO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.RegisterFrame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** OPEN, cookies, the channel limit and CLOSE (host-behaviour.md section 2, guestrpc-channel.md section 4.1). */
class ChannelTableTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void openWithTheCookieFlagReturnsIdAndTwoCookiesWithCleanLowHalves() {
        RawGuest guest = new RawGuest(host);
        int status = guest.open(RPCI | COOKIE);

        assertThat(status).isEqualTo(SUCCESS);
        assertThat(guest.frame.cx()).isEqualTo(0x0001_0000); // OpenBSD checks exactly this
        assertThat(RegisterFrame.low16(guest.frame.dx())).isZero();
        assertThat(guest.frame.ax()).isZero(); // Ken Kato's client requires it
        assertThat(guest.cookieHigh != 0 || guest.cookieLow != 0).isTrue();
        assertThat(host.openChannels()).isEqualTo(1);
        assertThat(host.calls().opens()).isEqualTo(1);
    }

    @Test
    void cookiesDifferFromChannelToChannel() {
        Set<Long> cookies = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            RawGuest guest = RawGuest.opened(host, RPCI | COOKIE);
            cookies.add((long) guest.cookieHigh << 32 | Integer.toUnsignedLong(guest.cookieLow));
        }
        assertThat(cookies).hasSize(20);
    }

    @Test
    void openIgnoresGarbageInDxHighEsiAndEdiAsVmtoolsdSendsThem() {
        RegisterFrame frame = RegisterFrame.of(Backdoor.MAGIC, TCLO | COOKIE, 0x1E, 0x2020_5658, 0x2020_2020,
                0x2020_2020, 0x2020_2020);
        host.call(frame);

        assertThat(RegisterFrame.high16(frame.cx())).isEqualTo(SUCCESS);
        assertThat(RegisterFrame.high16(frame.dx())).isZero(); // lowest free id, not 0x2020
    }

    @Test
    void aFlaglessChannelWorksAndEchoingAnythingAsCookiesIsAccepted() {
        RawGuest guest = RawGuest.opened(host, RPCI);
        guest.cookieHigh = 0;
        guest.cookieLow = 0;

        assertThat(guest.rpci("log no cookies")).isEqualTo("1 ");
        assertThat(host.log()).containsExactly("no cookies");
    }

    @Test
    void aCookiesRequiredHostRefusesFlaglessOpens() {
        SimulatedHost strict = SimulatedHost.builder().cookies(CookieMode.REQUIRED).build();

        assertThat(new RawGuest(strict).open(RPCI)).isZero();
        assertThat(new RawGuest(strict).open(RPCI | COOKIE)).isEqualTo(SUCCESS);
    }

    @Test
    void anOldHostRefusesTheCookieFlagSoTheGuestFallsBack() {
        SimulatedHost old = SimulatedHost.builder().cookies(CookieMode.UNSUPPORTED).build();
        RawGuest guest = new RawGuest(old);

        assertThat(guest.open(RPCI | COOKIE)).isZero();
        assertThat(guest.open(RPCI)).isEqualTo(SUCCESS);
        assertThat(guest.rpci("log fallback")).isEqualTo("1 ");
    }

    @Test
    void unknownProtocolNumbersAreRefused() {
        assertThat(new RawGuest(host).open(0x1234_5678 | COOKIE)).isZero();
        assertThat(host.openChannels()).isZero();
    }

    @Test
    void theTableHolds128ChannelsAndTheNextOpenFails() {
        List<RawGuest> guests = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            guests.add(RawGuest.opened(host, RPCI | COOKIE));
        }
        assertThat(guests).extracting(g -> g.id).doesNotHaveDuplicates();

        assertThat(new RawGuest(host).open(RPCI | COOKIE)).isZero();

        guests.get(17).close();
        RawGuest again = RawGuest.opened(host, RPCI | COOKIE);
        assertThat(again.id).isEqualTo(17); // lowest free id (CHOICE)
        assertThat(again.cookieHigh == guests.get(17).cookieHigh && again.cookieLow == guests.get(17).cookieLow)
                .isFalse();
    }

    @Test
    void olderHostsHaveEightChannels() {
        SimulatedHost old = SimulatedHost.builder().profile(HostProfile.OLD_ESX).build();
        for (int i = 0; i < 8; i++) {
            RawGuest.opened(old, RPCI | COOKIE);
        }
        assertThat(new RawGuest(old).open(RPCI | COOKIE)).isZero();
        assertThat(SimulatedHost.builder().channelLimit(8).build().channelLimit()).isEqualTo(8);
    }

    @Test
    void closeAnswersSuccessWithLowHalfZeroAndKillsIdAndCookies() {
        RawGuest guest = RawGuest.opened(host, RPCI | COOKIE);

        assertThat(guest.close()).isEqualTo(SUCCESS);
        assertThat(RegisterFrame.low16(guest.frame.cx())).isZero();
        assertThat(host.openChannels()).isZero();
        assertThat(host.calls().closes()).isEqualTo(1);

        long violations = host.calls().violations();
        assertThat(guest.lb(MessageType.SEND_SIZE, 4)).isZero();
        assertThat(guest.close()).isZero();
        assertThat(host.calls().violations()).isEqualTo(violations + 2);
    }

    @Test
    void aWrongCookieFailsWithoutTouchingTheChannel() {
        RawGuest guest = RawGuest.opened(host, RPCI | COOKIE);
        assertThat(guest.lb(MessageType.SEND_SIZE, 9)).isNotZero();

        RawGuest intruder = new RawGuest(host);
        intruder.id = guest.id;
        intruder.cookieHigh = guest.cookieHigh;
        intruder.cookieLow = guest.cookieLow ^ 1;
        assertThat(intruder.lb(MessageType.SEND_PAYLOAD, 0x12345678)).isZero();
        assertThat(intruder.close()).isZero();

        // The owner's message is intact: 9 bytes still expected.
        byte[] rest = "log hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < rest.length; i += 4) {
            assertThat(guest.lb(MessageType.SEND_PAYLOAD, RawGuest.word(rest, i))).isEqualTo(SUCCESS);
        }
        assertThat(host.log()).containsExactly("hello");
        assertThat(host.calls().violations()).isEqualTo(2);
    }

    @Test
    void aDeadChannelCanReportClosedWhenConfigured() {
        SimulatedHost closing = SimulatedHost.builder().reportClosed(true).build();
        RawGuest guest = RawGuest.opened(closing, RPCI | COOKIE);
        guest.close();

        assertThat(guest.lb(MessageType.SEND_SIZE, 1)).isEqualTo(RawGuest.CLOSED);
    }

    @Test
    void anIdOutsideTheTableFails() {
        RawGuest guest = new RawGuest(host);
        guest.id = 0xFFFF;
        assertThat(guest.lb(MessageType.RECEIVE_SIZE, 0)).isZero();
    }
}
