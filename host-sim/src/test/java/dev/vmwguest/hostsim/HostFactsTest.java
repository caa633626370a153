package dev.vmwguest.hostsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.backdoor.HostTime;
import dev.vmwguest.backdoor.HostVersion;
import dev.vmwguest.backdoor.ProductType;
import dev.vmwguest.backdoor.RegisterFrame;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The non-message commands (host-behaviour.md section 1.1), decoded with the backdoor API's own decoders. */
class HostFactsTest {

    private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123456Z");
    private static final UUID UUID_BIOS = UUID.fromString("564d1234-5678-9abc-def0-123456789abc");

    private final SimulatedHost host = SimulatedHost.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).biosUuid(UUID_BIOS).cpuMhz(2_893).build();

    @Test
    void getVersionAnswersVersionSixMagicAndEsxAsVmcheckRequires() {
        RegisterFrame frame = new RegisterFrame();
        HostVersion version = HostVersion.query(host, frame);

        assertThat(version).isEqualTo(new HostVersion(6, ProductType.ESX));
        assertThat(frame.bx()).isEqualTo(Backdoor.MAGIC);
    }

    @Test
    void theWorkstationProfileReportsProductTypeFour() {
        SimulatedHost workstation = SimulatedHost.builder().profile(HostProfile.WORKSTATION).build();

        assertThat(HostVersion.query(workstation, new RegisterFrame()).productType()).isEqualTo(ProductType.WORKSTATION);
    }

    @Test
    void hostInfoDecodesTimeUuidAndMhz() {
        HostInfo info = HostInfo.query(host);

        assertThat(info.version().productType()).isEqualTo(ProductType.ESX);
        assertThat(info.time()).hasValueSatisfying(time -> {
            assertThat(time.time()).isEqualTo(NOW);
            assertThat(time.command()).isEqualTo(BackdoorCommand.GETTIMEFULL_WITH_LAG);
            assertThat(time.interruptLag()).contains(Duration.ZERO);
        });
        assertThat(info.biosUuid()).contains(UUID_BIOS);
        assertThat(info.cpuMhz()).hasValue(2_893);
    }

    @Test
    void withoutCommand55TimeFallsBackToGetTimeFullAndKeepsTheMagicInAx() {
        SimulatedHost older = SimulatedHost.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).timeWithLag(false).build();
        RegisterFrame frame = new RegisterFrame();

        assertThat(HostTime.query(older, frame)).hasValueSatisfying(time -> {
            assertThat(time.command()).isEqualTo(BackdoorCommand.GETTIMEFULL);
            assertThat(time.time()).isEqualTo(NOW);
        });
        assertThat(frame.ax()).isEqualTo(Backdoor.MAGIC);
    }

    @Test
    void getTimeAnswersThirtyTwoBitSecondsAndMicroseconds() {
        RegisterFrame frame = new RegisterFrame().command(BackdoorCommand.GETTIME);
        host.call(frame);

        assertThat(HostTime.decode(BackdoorCommand.GETTIME, frame)).hasValueSatisfying(
                time -> assertThat(time.time()).isEqualTo(NOW));
    }

    @Test
    void setClockChangesWhatTheTimeCommandsReport() {
        Instant later = NOW.plusSeconds(3600);
        host.setClock(Clock.fixed(later, ZoneOffset.UTC));

        assertThat(HostTime.query(host, new RegisterFrame())).map(HostTime::time).contains(later);
    }

    @Test
    void anUnknownCommandSetsAxToAllOnesAndLeavesTheRestAlone() {
        RegisterFrame frame = RegisterFrame.of(Backdoor.MAGIC, 0x1111, 0xABCD_0063, 0x5658, 0x2222, 0x3333, 0x4444);
        host.call(frame);

        assertThat(frame).isEqualTo(RegisterFrame.of(0xFFFF_FFFF, 0x1111, 0xABCD_0063, 0x5658, 0x2222, 0x3333, 0x4444));
    }

    @Test
    void hardwareVersionMemoryAndBuildNumberAreAnswered() {
        RegisterFrame frame = new RegisterFrame().command(BackdoorCommand.GETHWVERSION);
        host.call(frame);
        assertThat(frame.ax()).isEqualTo(19);
        assertThat(frame.bx()).isEqualTo(Backdoor.MAGIC);

        host.call(frame.command(BackdoorCommand.GETMEMSIZE));
        assertThat(frame.ax()).isEqualTo(4_096);
    }

    @Test
    void theQemuProfileAnswersVersionButNotMessagesOrMhz() {
        SimulatedHost qemu = SimulatedHost.builder().profile(HostProfile.QEMU).build();
        assertThat(HostVersion.query(qemu, new RegisterFrame()).version()).isEqualTo(6);

        RawGuest guest = new RawGuest(qemu);
        int status = guest.open(RawGuest.RPCI | RawGuest.COOKIE);
        assertThat(guest.frame.ax()).isEqualTo(0xFFFF_FFFF);
        assertThat(status).isZero(); // cx unchanged: type 0 in the high half, so no SUCCESS

        RegisterFrame mhz = new RegisterFrame().command(BackdoorCommand.GETMHZ);
        qemu.call(mhz);
        assertThat(HostInfo.decodeMhz(mhz)).isEmpty();
    }

    @Test
    void rawRegistersModeAnswersAWrongMagicAsNoBackdoor() {
        SimulatedHost raw = SimulatedHost.builder().rawRegisters(true).build();
        RegisterFrame frame = RegisterFrame.of(0x1234_5678, ~Backdoor.MAGIC, 10, 0x5658, 0, 0, 0);
        raw.call(frame);

        assertThat(frame.ax()).isEqualTo(0xFFFF_FFFF);
        assertThatThrownBy(() -> HostVersion.decode(frame)).isInstanceOf(BackdoorUnavailableException.class);
    }

    @Test
    void theContractSuppliesMagicAndPortWhateverTheCallerLeft() {
        RegisterFrame frame = RegisterFrame.of(0, ~Backdoor.MAGIC, 10, 0x2020_0000, 0, 0, 0);
        host.call(frame);

        assertThat(HostVersion.decode(frame).version()).isEqualTo(6);
    }
}
