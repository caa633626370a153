package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static dev.vmwguest.hostsim.RawGuest.SUCCESS;
import static dev.vmwguest.hostsim.RawGuest.TCLO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.HostVersion;
import dev.vmwguest.backdoor.ProductType;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The register habits of VMware's own clients (observed-clients.md): garbage
 * in unused fields, trailing NULs and spaces, RECEIVE_STATUS as an ack, the
 * cookie fallback, vmcheck's GETVERSION forms.
 */
class ObservedClientsTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void vmchecksTwoGetVersionFormsBothAnswerVersionSixAndEsx() {
        RegisterFrame touch = RegisterFrame.of(Backdoor.MAGIC, ~Backdoor.MAGIC, 0x0000_000A, 0x5658, 0, 0, 0);
        host.call(touch);
        assertThat(touch.bx()).isEqualTo(Backdoor.MAGIC);

        RegisterFrame version = RegisterFrame.of(Backdoor.MAGIC, ~Backdoor.MAGIC, 0xFFFF_000A, 0x5658, 0, 0, 0);
        host.call(version);
        assertThat(HostVersion.decode(version)).isEqualTo(new HostVersion(6, ProductType.ESX));
    }

    @Test
    void vmtoolsdsGarbageFilledRegistersAreMaskedOnEveryCall() {
        // OPEN with edx = 0x20205658, esi = edi = 0x20202020.
        RegisterFrame f = RegisterFrame.of(Backdoor.MAGIC, RPCI | COOKIE, 0x0000_001E, 0x2020_5658, 0x2020_2020,
                0x2020_2020, 0x2020_2020);
        host.call(f);
        int id = RegisterFrame.high16(f.dx());
        int high = f.si();
        int low = f.di();
        byte[] request = "log garbage\0".getBytes(StandardCharsets.US_ASCII);

        f.set(Backdoor.MAGIC, request.length, 0x0001_001E, RegisterFrame.halves(id, 0x5658), high, low, 0x2020_2020);
        host.call(f);
        assertThat(RegisterFrame.high16(f.cx())).isEqualTo(SUCCESS | RawGuest.HB);

        // HB out with junk in bp's other uses is impossible in 32 bits; junk in ax is replaced by the contract.
        f.set(0, 0x0001_0000, 0x7777, RegisterFrame.halves(id, 0x1234), 0x4444_4444, low, high);
        host.send(f, ByteBuffer.wrap(request));
        assertThat(RegisterFrame.high16(f.bx())).isEqualTo(SUCCESS);

        // RECEIVE_SIZE with the previous size still in ebx.
        f.set(Backdoor.MAGIC, request.length, 0x0003_001E, RegisterFrame.halves(id, 0x5658), high, low, 0x2020_2020);
        host.call(f);
        assertThat(RegisterFrame.high16(f.cx())).isEqualTo(0x0083);
        int length = f.bx();

        byte[] reply = new byte[length];
        f.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(id, 0x5659), high, 0x5555_5555, low);
        host.receive(f, ByteBuffer.wrap(reply));
        assertThat(reply).asString().isEqualTo("1 ");

        f.set(Backdoor.MAGIC, 1, 0x0005_001E, RegisterFrame.halves(id, 0x5658), high, low, 0x2020_2020);
        host.call(f);
        // CLOSE with ebx = 0x20202020.
        f.set(Backdoor.MAGIC, 0x2020_2020, 0x0006_001E, RegisterFrame.halves(id, 0x5658), high, low, 0x2020_2020);
        host.call(f);

        assertThat(RegisterFrame.high16(f.cx())).isEqualTo(SUCCESS);
        assertThat(host.log()).containsExactly("garbage");
        assertThat(host.calls().violations()).isZero();
    }

    @Test
    void onlyTheSuccessBitOfTheGuestsStatusWordsIsHonoured() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);
        g.send("log x".getBytes(StandardCharsets.US_ASCII), true);
        g.lb(MessageType.RECEIVE_SIZE, 0);

        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 0xFFFF_0001)).isEqualTo(SUCCESS);
        assertThat(g.lb(MessageType.RECEIVE_STATUS, 0x2020_2021)).isEqualTo(SUCCESS);
    }

    @Test
    void theErrorAckAfterACompleteHighBandwidthReceiveIsAccepted() {
        RawGuest g = RawGuest.opened(host, RPCI | COOKIE);
        g.send("log x".getBytes(StandardCharsets.US_ASCII), false);
        g.lb(MessageType.RECEIVE_SIZE, 0);
        g.frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(g.id, 0x5659), g.cookieHigh, 0, g.cookieLow);
        host.receive(g.frame, ByteBuffer.allocate(2));

        // message.c's quirk: RECEIVE_PAYLOAD 0 even though every byte came over HB.
        assertThat(g.lb(MessageType.RECEIVE_PAYLOAD, 0)).isEqualTo(SUCCESS);
        assertThat(g.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(SUCCESS);
        assertThat(g.frame.bx()).isZero();
    }

    @Test
    void rpctoolsExactBytesVmtoolsdsNulAndTheTrailingSpaceFormAllWork() {
        assertThat(RawGuest.oneShot(host, "no.such.command")).isEqualTo("0 Unknown command");
        assertThat(RawGuest.oneShot(host, "vmx.capability.unified_loop toolbox\0")).isEqualTo("1 ");
        assertThat(RawGuest.oneShot(host, "tools.capability.softpowerop_retry ")).isEqualTo("1 ");
        assertThat(host.capabilities()).containsExactly("softpowerop_retry");
    }

    @Test
    void aNoCookieFallbackGuestThatEchoesWhateverCameBackWorks() {
        SimulatedHost noCookies = SimulatedHost.builder().cookies(CookieMode.UNSUPPORTED).build();
        RawGuest g = new RawGuest(noCookies);
        assertThat(g.open(RPCI | COOKIE)).isZero();
        assertThat(g.open(RPCI)).isEqualTo(SUCCESS);
        g.cookieHigh = g.frame.si();
        g.cookieLow = g.frame.di();

        assertThat(g.rpci("log hello")).isEqualTo("1 ");
        assertThat(g.close()).isEqualTo(SUCCESS);
        assertThat(noCookies.calls().total()).isEqualTo(8); // 10 in the trace, minus its 2 GETVERSIONs
    }

    @Test
    void vmtoolsdsStartupSequenceIsAccepted() {
        RawGuest tclo = RawGuest.opened(host, TCLO | COOKIE);
        RawGuest rpci = RawGuest.opened(host, RPCI | COOKIE);
        assertThat(rpci.rpci("info-set guestinfo.vmtools.versionString 12.2.0\0")).isEqualTo("1 ");
        assertThat(tclo.poll("")).isEqualTo("reset");
        rpci.close();
        rpci = RawGuest.opened(host, RPCI | COOKIE);
        assertThat(rpci.rpci("vmx.capability.unified_loop toolbox\0")).isEqualTo("1 ");
        assertThat(tclo.poll("OK ATR toolbox")).isNull();

        assertThat(host.guestInfo().get("vmtools.versionString")).contains("12.2.0");
        assertThat(host.tclo().attachedApps()).containsExactly("toolbox");
    }
}
