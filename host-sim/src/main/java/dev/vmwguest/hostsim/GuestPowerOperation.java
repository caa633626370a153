package dev.vmwguest.hostsim;

/**
 * The soft power operations a host asks the guest tools for, with the TCLO
 * command and the {@code GuestOsState} id the guest reports back in
 * {@code tools.os.statechange.status <ok> <id>} (tclo.md section 5.2).
 */
public enum GuestPowerOperation {
    /** Shut down the guest OS. */
    HALT("OS_Halt", 1),
    /** Restart the guest OS. */
    REBOOT("OS_Reboot", 2),
    /** Run the power-on scripts. */
    POWER_ON("OS_PowerOn", 3),
    /** Run the resume scripts. */
    RESUME("OS_Resume", 4),
    /** Run the suspend scripts. */
    SUSPEND("OS_Suspend", 5);

    private final String command;
    private final int stateId;

    GuestPowerOperation(String command, int stateId) {
        this.command = command;
        this.stateId = stateId;
    }

    /**
     * The TCLO command, e.g. {@code OS_Halt}.
     *
     * @return the TCLO command for this operation
     */
    public String command() {
        return command;
    }

    /**
     * The state id the guest reports on completion (1..5).
     *
     * @return the state id the guest reports on completion (1..5)
     */
    public int stateId() {
        return stateId;
    }
}
