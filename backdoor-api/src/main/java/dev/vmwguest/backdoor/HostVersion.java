package dev.vmwguest.backdoor;

/**
 * The answer to GETVERSION: the backdoor version (6 on every VMware product)
 * and the product type.
 *
 * @param version     the backdoor protocol version
 * @param productType the VMware product
 */
public record HostVersion(int version, ProductType productType) {

    /** The version every VMware product reports ({@code VERSION_MAGIC}). */
    public static final int VMWARE_VERSION = 6;

    /** Sentinel in the high half of {@code cx}: a host that leaves it there reports no product type. */
    private static final int UNSET_SENTINEL = 0xFFFF;

    /**
     * Asks the host (one backdoor call).
     *
     * @param backdoor the backdoor to make the calls through
     * @param frame a scratch frame for the call, overwritten
     * @return the host's version and product type
     * @throws BackdoorUnavailableException if the answer is not a VMware host's
     */
    public static HostVersion query(Backdoor backdoor, RegisterFrame frame) {
        prepare(frame);
        backdoor.call(frame);
        return decode(frame);
    }

    /**
     * Loads the GETVERSION request: {@code bx} = not the magic, {@code cx} = sentinel high half | 10.
     *
     * @param frame the frame to load, overwritten
     * @return {@code frame}, loaded
     */
    public static RegisterFrame prepare(RegisterFrame frame) {
        return frame.command(BackdoorCommand.GETVERSION)
                .bx(~Backdoor.MAGIC)
                .cx(RegisterFrame.halves(UNSET_SENTINEL, BackdoorCommand.GETVERSION));
    }

    /**
     * Decodes the registers GETVERSION returned. Pure.
     *
     * @param out the registers GETVERSION returned
     * @return the version and product type the registers carry
     * @throws BackdoorUnavailableException if {@code bx} is not the magic or {@code ax} says nothing answered
     */
    public static HostVersion decode(RegisterFrame out) {
        if (out.bx() != Backdoor.MAGIC || out.ax() == BackdoorCommand.NOT_HANDLED) {
            throw new BackdoorUnavailableException(BackdoorUnavailableException.Reason.NOT_ANSWERED,
                    "GETVERSION was not answered by a VMware host (registers " + out + "); "
                            + "the machine is not VMware or its backdoor is disabled");
        }
        ProductType type = RegisterFrame.high16(out.cx()) == UNSET_SENTINEL
                ? ProductType.UNSET : ProductType.fromCode(out.cx());
        return new HostVersion(out.ax(), type);
    }
}
