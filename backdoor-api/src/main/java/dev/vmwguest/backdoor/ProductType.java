package dev.vmwguest.backdoor;

/** The VMware product the host runs, as GETVERSION reports it in {@code cx}. */
public enum ProductType {
    /** The host did not say (too old, or left the sentinel in place). */
    UNSET(0),
    /** VMware Express (deprecated). */
    EXPRESS(1),
    /** ESX / ESXi ("scalable server"); also QEMU's default when emulating. */
    ESX(2),
    /** GSX / VMware Server (deprecated). */
    SERVER(3),
    /** Workstation, Fusion and the other desktop products. */
    WORKSTATION(4),
    /** ACE 1.x (deprecated). */
    ACE(5),
    /** A value this version does not know. */
    UNKNOWN(-1);

    private final int code;

    ProductType(int code) {
        this.code = code;
    }

    /**
     * The number the host reports.
     *
     * @return the number the host reports
     */
    public int code() {
        return code;
    }

    /**
     * The type for a reported number; {@link #UNKNOWN} for numbers not listed.
     *
     * @param code the product type number from GETVERSION's {@code cx}
     * @return the type for a reported number
     */
    public static ProductType fromCode(int code) {
        for (ProductType type : values()) {
            if (type.code == code && type != UNKNOWN) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
