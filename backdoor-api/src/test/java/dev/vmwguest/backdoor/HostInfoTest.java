package dev.vmwguest.backdoor;

import static dev.vmwguest.backdoor.FakeHost.MAGIC;
import static dev.vmwguest.backdoor.FakeHost.NOT_HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BIOS UUID, MHz and the whole {@link HostInfo#query} sequence, backdoor.md section 7. */
class HostInfoTest {

    private static final int SECONDS_2023 = 1_700_000_000; // 2023-11-14T22:13:20Z

    // GETUUID: EAX, EBX, ECX, EDX = the 16 UUID bytes; each register stored little-endian, in that
    // order, gives bytes 0..15. Bytes 00 11 22 .. ff therefore arrive as:
    private static final int UUID_AX = 0x33221100;
    private static final int UUID_BX = 0x77665544;
    private static final int UUID_CX = 0xBBAA9988;
    private static final int UUID_DX = 0xFFEEDDCC;

    @Test
    void biosUuidBytesAreEachRegisterLittleEndianInOrder() {
        UUID uuid = HostInfo.decodeBiosUuid(RegisterFrame.of(UUID_AX, UUID_BX, UUID_CX, UUID_DX, 0, 0, 0))
                .orElseThrow();
        assertThat(uuid).isEqualTo(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
    }

    @Test
    void biosUuidOfAVmwareStyleValue() {
        // bytes 56 4d c2 a1 | 7f 3e 9b 20 | 0c 11 84 d5 | e6 f7 a8 b9
        RegisterFrame out = RegisterFrame.of(0xA1C24D56, 0x209B3E7F, 0xD584110C, 0xB9A8F7E6, 0, 0, 0);
        assertThat(HostInfo.decodeBiosUuid(out))
                .contains(UUID.fromString("564dc2a1-7f3e-9b20-0c11-84d5e6f7a8b9"));
    }

    @Test
    void biosUuidIgnoresSiDiBp() {
        RegisterFrame out = RegisterFrame.of(UUID_AX, UUID_BX, UUID_CX, UUID_DX, -1, -1, -1);
        assertThat(HostInfo.decodeBiosUuid(out))
                .contains(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
    }

    @Test
    void biosUuidNotHandledWhenAxIsAllOnesAndTheRequestIsUntouched() {
        // QEMU convention for unsupported commands: EAX = 0xFFFFFFFF, other registers unchanged.
        RegisterFrame out = new RegisterFrame().command(19).ax(NOT_HANDLED);
        assertThat(HostInfo.decodeBiosUuid(out)).isEmpty();
    }

    @Test
    void biosUuidNotHandledWhenNothingAnsweredAtAll() {
        // EAX still the magic and the request registers in place: nobody wrote a UUID
        // (backdoor.md section 7: EAX in {magic, 0xFFFFFFFF} means "not handled").
        assertThat(HostInfo.decodeBiosUuid(new RegisterFrame().command(19))).isEmpty();
    }

    @Test
    void aRealUuidStartingWithFfBytesIsStillAUuid() {
        RegisterFrame out = RegisterFrame.of(0xFFFFFFFF, UUID_BX, UUID_CX, UUID_DX, 0, 0, 0);
        assertThat(HostInfo.decodeBiosUuid(out))
                .contains(UUID.fromString("ffffffff-4455-6677-8899-aabbccddeeff"));
    }

    @Test
    void mhzIsAx() {
        assertThat(HostInfo.decodeMhz(RegisterFrame.of(2_904, 0, 1, 0x5658, 0, 0, 0))).hasValue(2_904);
    }

    @ParameterizedTest(name = "ax={0}")
    @ValueSource(ints = {0, MAGIC, NOT_HANDLED})
    void mhzFailureValues(int ax) {
        assertThat(HostInfo.decodeMhz(RegisterFrame.of(ax, 0, 1, 0x5658, 0, 0, 0))).isEmpty();
    }

    @Test
    void queryReadsEveryFactFromAFullHost() {
        FakeHost host = new FakeHost()
                .answer(10, f -> f.ax(6).bx(MAGIC).cx(4))
                .answer(55, f -> f.ax(MAGIC).bx(500_000).cx(2_000).dx(SECONDS_2023).si(0).di(10))
                .answer(19, f -> f.ax(UUID_AX).bx(UUID_BX).cx(UUID_CX).dx(UUID_DX))
                .answer(1, f -> f.ax(2_904));

        HostInfo info = HostInfo.query(host);

        assertThat(info.version()).isEqualTo(new HostVersion(6, ProductType.WORKSTATION));
        assertThat(info.time()).hasValueSatisfying(t -> {
            assertThat(t.time()).isEqualTo(Instant.parse("2023-11-14T22:13:20.5Z"));
            assertThat(t.command()).isEqualTo(55);
        });
        assertThat(info.biosUuid()).contains(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
        assertThat(info.cpuMhz()).hasValue(2_904);
        assertThat(host.commands).containsExactly(10, 55, 19, 1);
    }

    @Test
    void queryOnAQemuVmportProfile() {
        // QEMU answers 10 and 19 but none of the time commands and not GETMHZ.
        FakeHost host = new FakeHost()
                .answer(10, f -> f.ax(6).bx(MAGIC).cx(2))
                .answer(19, f -> f.ax(UUID_AX).bx(UUID_BX).cx(UUID_CX).dx(UUID_DX));

        HostInfo info = HostInfo.query(host);

        assertThat(info.version()).isEqualTo(new HostVersion(6, ProductType.ESX));
        assertThat(info.time()).isEmpty();
        assertThat(info.biosUuid()).isPresent();
        assertThat(info.cpuMhz()).isEmpty();
        assertThat(host.commands).containsExactly(10, 55, 46, 23, 19, 1);
    }

    @Test
    void queryWhenOnlyVersionIsAnswered() {
        FakeHost host = new FakeHost().answer(10, f -> f.ax(6).bx(MAGIC).cx(2));

        HostInfo info = HostInfo.query(host);

        assertThat(info.biosUuid()).isEmpty();
        assertThat(info.cpuMhz()).isEmpty();
    }

    @Test
    void queryOnANonVmwareHostThrowsAfterOneCall() {
        FakeHost host = new FakeHost();
        assertThatThrownBy(() -> HostInfo.query(host))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(BackdoorUnavailableException.Reason.NOT_ANSWERED));
        assertThat(host.commands).containsExactly(10);
    }
}
