package dev.vmwguest.backdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Packing of the seven registers and of the 16-bit halves the message protocol uses. */
class RegisterFrameTest {

    /** Fact sheet section 1: magic and ports. */
    private static final int MAGIC = 0x564D5868;
    private static final int LB_PORT = 0x5658;
    private static final int HB_PORT = 0x5659;

    /** One register: name, index in the fact sheets' order, getter and setter. */
    private record Reg(String name, int index, ToIntFunction<RegisterFrame> get,
            BiFunction<RegisterFrame, Integer, RegisterFrame> set) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Reg> REGISTERS = List.of(
            new Reg("ax", 0, RegisterFrame::ax, RegisterFrame::ax),
            new Reg("bx", 1, RegisterFrame::bx, RegisterFrame::bx),
            new Reg("cx", 2, RegisterFrame::cx, RegisterFrame::cx),
            new Reg("dx", 3, RegisterFrame::dx, RegisterFrame::dx),
            new Reg("si", 4, RegisterFrame::si, RegisterFrame::si),
            new Reg("di", 5, RegisterFrame::di, RegisterFrame::di),
            new Reg("bp", 6, RegisterFrame::bp, RegisterFrame::bp));

    static Stream<Arguments> registers() {
        return REGISTERS.stream().map(Arguments::of);
    }

    private static int[] values(RegisterFrame frame) {
        return REGISTERS.stream().mapToInt(r -> r.get().applyAsInt(frame)).toArray();
    }

    @Test
    void newFrameIsAllZero() {
        assertThat(values(new RegisterFrame())).containsExactly(0, 0, 0, 0, 0, 0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registers")
    void eachSetterWritesOnlyItsRegister(Reg reg) {
        int[] before = {0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666, 0x77777777};
        RegisterFrame frame = RegisterFrame.of(before[0], before[1], before[2], before[3], before[4], before[5],
                before[6]);
        int value = 0x80000001; // sign bit set: must survive unchanged
        RegisterFrame returned = reg.set().apply(frame, value);

        assertThat(returned).isSameAs(frame);
        int[] expected = before.clone();
        expected[reg.index()] = value;
        assertThat(values(frame)).containsExactly(expected);
    }

    @Test
    void ofAndSetTakeRegistersInFactSheetOrder() {
        RegisterFrame frame = RegisterFrame.of(1, 2, 3, 4, 5, 6, 7);
        assertThat(values(frame)).containsExactly(1, 2, 3, 4, 5, 6, 7);

        RegisterFrame returned = frame.set(-1, -2, -3, -4, -5, -6, -7);
        assertThat(returned).isSameAs(frame);
        assertThat(values(frame)).containsExactly(-1, -2, -3, -4, -5, -6, -7);
    }

    @Test
    void copyFromCopiesAllSevenAndStaysIndependent() {
        RegisterFrame source = RegisterFrame.of(0xA, 0xB, 0xC, 0xD, 0xE, 0xF, 0x10);
        RegisterFrame copy = new RegisterFrame().copyFrom(source);
        assertThat(values(copy)).containsExactly(0xA, 0xB, 0xC, 0xD, 0xE, 0xF, 0x10);

        source.bp(99).ax(98);
        assertThat(copy.bp()).isEqualTo(0x10);
        assertThat(copy.ax()).isEqualTo(0xA);
    }

    @Test
    void commandLoadsMagicCommandAndLowBandwidthPortAndClearsTheRest() {
        RegisterFrame frame = RegisterFrame.of(1, 2, 3, 4, 5, 6, 7);
        RegisterFrame returned = frame.command(46);

        assertThat(returned).isSameAs(frame);
        assertThat(values(frame)).containsExactly(MAGIC, 0, 46, LB_PORT, 0, 0, 0);
    }

    @Test
    void commandKeepsOnlyTheLowHalfAsCommandNumber() {
        // Fact sheet: the host takes the command from ecx & 0xFFFF; command() leaves the high half zero.
        RegisterFrame frame = new RegisterFrame().command(0x1234_001E);
        assertThat(frame.cx()).isEqualTo(0x1E);
    }

    @Test
    void constantsMatchTheFactSheet() {
        assertThat(Backdoor.MAGIC).isEqualTo(MAGIC);
        assertThat(Backdoor.LOW_BANDWIDTH_PORT).isEqualTo(LB_PORT);
        assertThat(Backdoor.HIGH_BANDWIDTH_PORT).isEqualTo(HB_PORT);
        assertThat(BackdoorCommand.GETMHZ).isEqualTo(1);
        assertThat(BackdoorCommand.GETVERSION).isEqualTo(10);
        assertThat(BackdoorCommand.GETBIOSUUID).isEqualTo(19);
        assertThat(BackdoorCommand.GETTIME).isEqualTo(23);
        assertThat(BackdoorCommand.MESSAGE).isEqualTo(30);
        assertThat(BackdoorCommand.GETHZ).isEqualTo(45);
        assertThat(BackdoorCommand.GETTIMEFULL).isEqualTo(46);
        assertThat(BackdoorCommand.GETTIMEFULL_WITH_LAG).isEqualTo(55);
        assertThat(BackdoorCommand.NOT_HANDLED).isEqualTo(0xFFFFFFFF);
    }

    @Test
    void high16AndLow16AreUnsignedHalves() {
        assertThat(RegisterFrame.high16(0xFFFF000A)).isEqualTo(0xFFFF);
        assertThat(RegisterFrame.low16(0xFFFF000A)).isEqualTo(0x000A);
        assertThat(RegisterFrame.high16(0x8001_FFFE)).isEqualTo(0x8001);
        assertThat(RegisterFrame.low16(0x8001_FFFE)).isEqualTo(0xFFFE);
        assertThat(RegisterFrame.high16(0x0001_0000)).isEqualTo(1);
        assertThat(RegisterFrame.low16(0x0001_0000)).isZero();
        assertThat(RegisterFrame.high16(-1)).isEqualTo(0xFFFF);
        assertThat(RegisterFrame.low16(-1)).isEqualTo(0xFFFF);
    }

    @Test
    void halvesPacksHighAndLowAndDropsExtraBits() {
        assertThat(RegisterFrame.halves(0xFFFF, 10)).isEqualTo(0xFFFF000A);
        assertThat(RegisterFrame.halves(1, 0)).isEqualTo(0x0001_0000);
        assertThat(RegisterFrame.halves(0x1_2345, 0xF_6789)).isEqualTo(0x2345_6789);
        assertThat(RegisterFrame.halves(-1, -1)).isEqualTo(0xFFFF_FFFF);
        assertThat(RegisterFrame.halves(0, -1)).isEqualTo(0x0000_FFFF);
        assertThat(RegisterFrame.halves(-1, 0)).isEqualTo(0xFFFF_0000);
    }

    @Test
    void halvesRoundTrip() {
        int[] samples = {0, 1, 0x7FFF, 0x8000, 0xABCD, 0xFFFF};
        for (int high : samples) {
            for (int low : samples) {
                int packed = RegisterFrame.halves(high, low);
                assertThat(RegisterFrame.high16(packed)).as("high of %x|%x", high, low).isEqualTo(high);
                assertThat(RegisterFrame.low16(packed)).as("low of %x|%x", high, low).isEqualTo(low);
            }
        }
    }

    @Test
    void messageProtocolFieldsPackAsTheFactSheetSays() {
        // LB MESSAGE call: dx = channel id (high half) | LB port (low half); cx = sub-command | 30.
        int channel = 0xBEEF;
        RegisterFrame frame = new RegisterFrame().command(BackdoorCommand.MESSAGE)
                .cx(RegisterFrame.halves(3, BackdoorCommand.MESSAGE))
                .dx(RegisterFrame.halves(channel, Backdoor.LOW_BANDWIDTH_PORT));
        assertThat(frame.cx()).isEqualTo(0x0003_001E);
        assertThat(frame.dx()).isEqualTo(0xBEEF_5658);

        // HB: bx = status 0x0001 (high) | HB command 0 (low) = 0x00010000; status comes back in bx's high half.
        frame.bx(RegisterFrame.halves(1, 0));
        assertThat(frame.bx()).isEqualTo(0x0001_0000);
        assertThat(RegisterFrame.high16(0x0011_0000)).isEqualTo(0x11);
    }

    @Test
    void equalFramesAreEqualWithEqualHashCodes() {
        RegisterFrame a = RegisterFrame.of(MAGIC, 1, 2, 3, 4, 5, 6);
        RegisterFrame b = new RegisterFrame().copyFrom(a);
        assertThat(a).isEqualTo(b).isEqualTo(a);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(new RegisterFrame()).isEqualTo(new RegisterFrame());
        assertThat(a).isNotEqualTo(null).isNotEqualTo("frame");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registers")
    void framesDifferingInOneRegisterAreNotEqual(Reg reg) {
        RegisterFrame a = RegisterFrame.of(MAGIC, 1, 2, 3, 4, 5, 6);
        RegisterFrame b = new RegisterFrame().copyFrom(a);
        reg.set().apply(b, reg.get().applyAsInt(a) + 1);

        assertThat(a).isNotEqualTo(b);
        assertThat(b).isNotEqualTo(a);
        assertThat(a.hashCode()).as("hashCode must depend on %s", reg).isNotEqualTo(b.hashCode());
    }

    @Test
    void toStringShowsEveryRegisterInEightDigitHex() {
        String text = RegisterFrame.of(MAGIC, 0xFFFFFFFF, 10, LB_PORT, 0, 0xABCDEF01, 1).toString();
        assertThat(text.toLowerCase(java.util.Locale.ROOT)).contains(
                "ax=564d5868", "bx=ffffffff", "cx=0000000a", "dx=00005658", "si=00000000", "di=abcdef01",
                "bp=00000001");
    }
}
