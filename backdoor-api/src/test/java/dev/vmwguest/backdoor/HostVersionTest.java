package dev.vmwguest.backdoor;

import static dev.vmwguest.backdoor.FakeHost.MAGIC;
import static dev.vmwguest.backdoor.FakeHost.NOT_HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GETVERSION request and answer, backdoor.md section 6 "GETVERSION details". */
class HostVersionTest {

    @Test
    void prepareLoadsTheGetVersionRequest() {
        RegisterFrame frame = HostVersion.prepare(RegisterFrame.of(1, MAGIC, 3, 4, 5, 6, 7));

        assertThat(frame.ax()).isEqualTo(MAGIC);
        assertThat(frame.bx()).as("bx must be anything but the magic").isNotEqualTo(MAGIC);
        // open-vm-tools form: sentinel 0xFFFF in the high half, command 10 in the low half.
        assertThat(frame.cx()).isEqualTo(0xFFFF000A);
        assertThat(frame.dx() & 0xFFFF).isEqualTo(0x5658);
    }

    @ParameterizedTest(name = "ecx={0} -> {1}")
    @CsvSource({
        "0, UNSET",
        "1, EXPRESS",
        "2, ESX",
        "3, SERVER",
        "4, WORKSTATION",
        "5, ACE",
    })
    void decodesEveryProductTypeOfTheFactSheet(int ecx, ProductType expected) {
        HostVersion version = HostVersion.decode(RegisterFrame.of(6, MAGIC, ecx, 0x5658, 0, 0, 0));

        assertThat(version.version()).isEqualTo(6);
        assertThat(version.productType()).isEqualTo(expected);
    }

    @Test
    void productTypeCodesMatchTheFactSheetTable() {
        assertThat(ProductType.UNSET.code()).isZero();
        assertThat(ProductType.EXPRESS.code()).isEqualTo(1);
        assertThat(ProductType.ESX.code()).isEqualTo(2);
        assertThat(ProductType.SERVER.code()).isEqualTo(3);
        assertThat(ProductType.WORKSTATION.code()).isEqualTo(4);
        assertThat(ProductType.ACE.code()).isEqualTo(5);
    }

    @Test
    void unlistedProductNumbersAreUnknown() {
        assertThat(ProductType.fromCode(6)).isEqualTo(ProductType.UNKNOWN);
        assertThat(ProductType.fromCode(0x7FFF)).isEqualTo(ProductType.UNKNOWN);
        // UNKNOWN's own internal code must not be reported as a real product either way.
        assertThat(ProductType.fromCode(-1)).isEqualTo(ProductType.UNKNOWN);
        assertThat(HostVersion.decode(RegisterFrame.of(6, MAGIC, 9, 0, 0, 0, 0)).productType())
                .isEqualTo(ProductType.UNKNOWN);
    }

    @Test
    void sentinelLeftInTheHighHalfMeansUnset() {
        // A host too old to report a type leaves ecx = 0xFFFF000A as the guest loaded it.
        HostVersion version = HostVersion.decode(RegisterFrame.of(6, MAGIC, 0xFFFF000A, 0x5658, 0, 0, 0));
        assertThat(version.productType()).isEqualTo(ProductType.UNSET);
    }

    @Test
    void queryAsksOnceAndDecodes() {
        FakeHost host = new FakeHost().answer(10, f -> f.ax(6).bx(MAGIC).cx(4));

        HostVersion version = HostVersion.query(host, new RegisterFrame());

        assertThat(version).isEqualTo(new HostVersion(6, ProductType.WORKSTATION));
        assertThat(host.commands).containsExactly(10);
        assertThat(host.inputs.get(0).bx()).isNotEqualTo(MAGIC);
    }

    @Test
    void queryAgainstAnOldHostThatKeepsTheSentinelIsUnset() {
        FakeHost host = new FakeHost().answer(10, f -> f.ax(6).bx(MAGIC)); // ecx untouched

        assertThat(HostVersion.query(host, new RegisterFrame()).productType()).isEqualTo(ProductType.UNSET);
    }

    @Test
    void qemuDefaultIsEsx() {
        // QEMU vmport: EAX = 6, EBX = magic, ECX = 2 by default (section 8).
        FakeHost host = new FakeHost().answer(10, f -> f.ax(6).bx(MAGIC).cx(2));
        assertThat(HostVersion.query(host, new RegisterFrame())).isEqualTo(new HostVersion(6, ProductType.ESX));
    }

    @Test
    void magicMissingFromBxMeansNotVmware() {
        RegisterFrame notAnswered = RegisterFrame.of(6, ~MAGIC, 0xFFFF000A, 0x5658, 0, 0, 0);
        assertThatThrownBy(() -> HostVersion.decode(notAnswered))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(BackdoorUnavailableException.Reason.NOT_ANSWERED))
                .hasMessageContaining("not VMware");
    }

    @Test
    void allOnesInAxMeansNothingThereEvenWithMagicInBx() {
        RegisterFrame nothing = RegisterFrame.of(NOT_HANDLED, MAGIC, 2, 0x5658, 0, 0, 0);
        assertThatThrownBy(() -> HostVersion.decode(nothing))
                .isInstanceOfSatisfying(BackdoorUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(BackdoorUnavailableException.Reason.NOT_ANSWERED));
    }

    @Test
    void queryOnAHostThatDoesNotAnswerThrows() {
        FakeHost silent = new FakeHost(); // GETVERSION unknown: ax := 0xFFFFFFFF, bx unchanged
        assertThatThrownBy(() -> HostVersion.query(silent, new RegisterFrame()))
                .isInstanceOf(BackdoorUnavailableException.class);
    }

    @Test
    void unavailableExceptionIsNotRetryable() {
        BackdoorUnavailableException e = new BackdoorUnavailableException(
                BackdoorUnavailableException.Reason.NOT_VMWARE, "why and what to do");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.reason()).isEqualTo(BackdoorUnavailableException.Reason.NOT_VMWARE);
        assertThat(e).hasMessage("why and what to do").isInstanceOf(BackdoorException.class);
    }
}
