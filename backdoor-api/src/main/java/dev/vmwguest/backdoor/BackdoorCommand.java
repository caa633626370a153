package dev.vmwguest.backdoor;

/**
 * Low-bandwidth backdoor command numbers (the low half of {@code cx}).
 *
 * <p>Only commands a user-space program can meaningfully use are listed
 * (shared/protocol/backdoor.md section 7); commands the host restricts to
 * kernel mode are left out on purpose.
 */
public final class BackdoorCommand {

    /** Processor speed in MHz, in {@code ax}. */
    public static final int GETMHZ = 1;
    /** Backdoor version (6) in {@code ax}, magic in {@code bx}, product type in {@code cx}. */
    public static final int GETVERSION = 10;
    /** GUI option bits in {@code ax}. */
    public static final int GETGUIOPTIONS = 13;
    /** Host screen size, {@code (width << 16) | height}, in {@code ax}. */
    public static final int GETSCREENSIZE = 15;
    /** Virtual hardware version in {@code ax}, magic in {@code bx}. */
    public static final int GETHWVERSION = 17;
    /** The 16 BIOS UUID bytes in {@code ax, bx, cx, dx}, each little-endian. */
    public static final int GETBIOSUUID = 19;
    /** Guest memory size in MB in {@code ax}. */
    public static final int GETMEMSIZE = 20;
    /** Deprecated 32-bit host time: seconds in {@code ax}, microseconds in {@code bx}, max lag in {@code cx}. */
    public static final int GETTIME = 23;
    /** Tells the host's time tracker to stop catching up. */
    public static final int STOPCATCHUP = 24;
    /** The GuestRPC message channel; sub-command in the high half of {@code cx}. */
    public static final int MESSAGE = 30;
    /** TSC frequency in Hz ({@code bx:ax}) and APIC bus frequency ({@code cx}). */
    public static final int GETHZ = 45;
    /** 64-bit host time: seconds in {@code si:dx}, microseconds in {@code bx}, max lag in {@code cx}. */
    public static final int GETTIMEFULL = 46;
    /** As {@link #GETTIMEFULL}, plus the current interrupt lag in {@code di}. */
    public static final int GETTIMEFULL_WITH_LAG = 55;
    /** vCPU capability bits in {@code ax}; bit 31 set means unsupported. */
    public static final int GET_VCPU_INFO = 68;
    /** Build number of the VMware hypervisor in {@code ax}. */
    public static final int GETBUILDNUM = 100;

    /** {@code ax} value a host (or emulator) leaves when nothing answered or the command is unknown. */
    public static final int NOT_HANDLED = 0xFFFFFFFF;

    private BackdoorCommand() {
    }
}
