package dev.vmwguest.backdoor;

/**
 * The general-purpose registers exchanged with the host in one backdoor call,
 * as a mutable frame that callers reuse from call to call.
 *
 * <p>A frame holds seven raw 32-bit values in the order the fact sheets use:
 * {@code ax, bx, cx, dx, si, di, bp}. Before a call it holds the inputs; the
 * call overwrites it with the outputs. Read values as unsigned where the
 * protocol means a size or an address ({@link Integer#toUnsignedLong(int)}).
 * The message protocol packs two 16-bit fields into one register (a channel id
 * in the high half of {@code dx}, a status in the high half of {@code cx});
 * use {@link #high16(int)}, {@link #low16(int)} and {@link #halves(int, int)}
 * rather than shifting by hand.
 *
 * <p>Why mutable: a GuestRPC message costs several backdoor calls, and the
 * channel code makes them without allocating. Records remain the style for
 * values users keep ({@link HostInfo}).
 *
 * <p>Not thread-safe: a frame belongs to one caller at a time (typically one
 * channel).
 */
public final class RegisterFrame {

    private int ax;
    private int bx;
    private int cx;
    private int dx;
    private int si;
    private int di;
    private int bp;

    /** A frame with every register zero. */
    public RegisterFrame() {
    }

    /**
     * A frame with the given register values, mainly for tests and traces.
     *
     * @param ax the value of {@code eax}
     * @param bx the value of {@code ebx}
     * @param cx the value of {@code ecx}
     * @param dx the value of {@code edx}
     * @param si the value of {@code esi}
     * @param di the value of {@code edi}
     * @param bp the value of {@code ebp}
     * @return a frame with the given register values, mainly for tests and traces
     */
    public static RegisterFrame of(int ax, int bx, int cx, int dx, int si, int di, int bp) {
        RegisterFrame frame = new RegisterFrame();
        frame.set(ax, bx, cx, dx, si, di, bp);
        return frame;
    }

    /**
     * Prepares a low-bandwidth command: {@code ax} = magic, {@code cx} =
     * command (high half zero), {@code dx} = the low-bandwidth port, every
     * other register zero.
     *
     * @param command the backdoor command number, with any sub-command in its high half
     * @return this frame
     */
    public RegisterFrame command(int command) {
        return set(Backdoor.MAGIC, 0, command & 0xFFFF, Backdoor.LOW_BANDWIDTH_PORT, 0, 0, 0);
    }

    /**
     * Sets all seven registers at once and returns this frame.
     *
     * @param ax the new value of {@code eax}
     * @param bx the new value of {@code ebx}
     * @param cx the new value of {@code ecx}
     * @param dx the new value of {@code edx}
     * @param si the new value of {@code esi}
     * @param di the new value of {@code edi}
     * @param bp the new value of {@code ebp}
     * @return this frame
     */
    public RegisterFrame set(int ax, int bx, int cx, int dx, int si, int di, int bp) {
        this.ax = ax;
        this.bx = bx;
        this.cx = cx;
        this.dx = dx;
        this.si = si;
        this.di = di;
        this.bp = bp;
        return this;
    }

    /**
     * Copies all seven registers of {@code other} into this frame and returns this frame.
     *
     * @param other the frame to copy from; not changed
     * @return this frame
     */
    public RegisterFrame copyFrom(RegisterFrame other) {
        return set(other.ax, other.bx, other.cx, other.dx, other.si, other.di, other.bp);
    }

    /**
     * {@code eax}: the magic on input; often the main result on output.
     *
     * @return {@code eax}
     */
    public int ax() {
        return ax;
    }

    /**
     * {@code ebx}: the argument ("size") on input.
     *
     * @return {@code ebx}
     */
    public int bx() {
        return bx;
    }

    /**
     * {@code ecx}: command (low half) and sub-command (high half) on input.
     *
     * @return {@code ecx}
     */
    public int cx() {
        return cx;
    }

    /**
     * {@code edx}: port (low half) and channel id (high half) on input.
     *
     * @return {@code edx}
     */
    public int dx() {
        return dx;
    }

    /**
     * {@code esi}: extra argument (message cookie high) on input.
     *
     * @return {@code esi}
     */
    public int si() {
        return si;
    }

    /**
     * {@code edi}: extra argument (message cookie low) on input.
     *
     * @return {@code edi}
     */
    public int di() {
        return di;
    }

    /**
     * {@code ebp}: used only by high-bandwidth calls (a cookie half).
     *
     * @return {@code ebp}
     */
    public int bp() {
        return bp;
    }

    /**
     * Sets {@code eax} and returns this frame.
     *
     * @param value the new value of {@code eax}
     * @return this frame
     */
    public RegisterFrame ax(int value) {
        ax = value;
        return this;
    }

    /**
     * Sets {@code ebx} and returns this frame.
     *
     * @param value the new value of {@code ebx}
     * @return this frame
     */
    public RegisterFrame bx(int value) {
        bx = value;
        return this;
    }

    /**
     * Sets {@code ecx} and returns this frame.
     *
     * @param value the new value of {@code ecx}
     * @return this frame
     */
    public RegisterFrame cx(int value) {
        cx = value;
        return this;
    }

    /**
     * Sets {@code edx} and returns this frame.
     *
     * @param value the new value of {@code edx}
     * @return this frame
     */
    public RegisterFrame dx(int value) {
        dx = value;
        return this;
    }

    /**
     * Sets {@code esi} and returns this frame.
     *
     * @param value the new value of {@code esi}
     * @return this frame
     */
    public RegisterFrame si(int value) {
        si = value;
        return this;
    }

    /**
     * Sets {@code edi} and returns this frame.
     *
     * @param value the new value of {@code edi}
     * @return this frame
     */
    public RegisterFrame di(int value) {
        di = value;
        return this;
    }

    /**
     * Sets {@code ebp} and returns this frame.
     *
     * @param value the new value of {@code ebp}
     * @return this frame
     */
    public RegisterFrame bp(int value) {
        bp = value;
        return this;
    }

    /**
     * Upper half of a register (bits 31..16), as an unsigned value.
     *
     * @param register a 32-bit register value
     * @return bits 31..16 of {@code register}, from 0 to 65535
     */
    public static int high16(int register) {
        return register >>> 16;
    }

    /**
     * Lower half of a register (bits 15..0), as an unsigned value.
     *
     * @param register a 32-bit register value
     * @return bits 15..0 of {@code register}, from 0 to 65535
     */
    public static int low16(int register) {
        return register & 0xFFFF;
    }

    /**
     * A register made of two 16-bit halves; bits above 16 in either argument are dropped.
     *
     * @param high the upper half, bits 31..16 of the result
     * @param low the lower half, bits 15..0 of the result
     * @return a register made of two 16-bit halves
     */
    public static int halves(int high, int low) {
        return (high & 0xFFFF) << 16 | (low & 0xFFFF);
    }

    /** Frames are equal when all seven registers are; for tests and traces. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RegisterFrame f
                && ax == f.ax && bx == f.bx && cx == f.cx && dx == f.dx && si == f.si && di == f.di && bp == f.bp;
    }

    @Override
    public int hashCode() {
        return ((((((ax * 31) + bx) * 31 + cx) * 31 + dx) * 31 + si) * 31 + di) * 31 + bp;
    }

    /** Hex, because every protocol document writes registers in hex. */
    @Override
    public String toString() {
        return String.format("[ax=%08x bx=%08x cx=%08x dx=%08x si=%08x di=%08x bp=%08x]", ax, bx, cx, dx, si, di, bp);
    }
}
