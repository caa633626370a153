package dev.vmwguest.rpci;

/**
 * The guest OS states a power operation ends in, with the number
 * {@code tools.os.statechange.status} reports (rpci.md section 2.5).
 */
public enum PowerState {
    /** Shut down ({@code OS_Halt}). */
    HALT(1),
    /** Restart ({@code OS_Reboot}). */
    REBOOT(2),
    /** Powered on ({@code OS_PowerOn}). */
    POWER_ON(3),
    /** Resumed ({@code OS_Resume}). */
    RESUME(4),
    /** Suspended ({@code OS_Suspend}). */
    SUSPEND(5);

    private final int code;

    PowerState(int code) {
        this.code = code;
    }

    /**
     * The number on the wire.
     *
     * @return the number on the wire
     */
    public int code() {
        return code;
    }
}
