package dev.vmwguest.rpci;

/**
 * The text-valued facts {@code SetGuestInfo} reports to vSphere (rpci.md
 * section 2.4). The binary types (NIC lists, disk and memory structs) are
 * left out on purpose: hosts parse them as packed C structures.
 */
public enum GuestInfoType {
    /** Host name. */
    DNS_NAME(1),
    /** Tools build string. */
    BUILD_NUMBER(4),
    /** Full OS name. */
    OS_NAME_FULL(5),
    /** Short guest OS id; hosts reject names they do not know. */
    OS_NAME(6),
    /** Uptime in hundredths of a second, decimal. */
    UPTIME(7);

    private final int code;

    GuestInfoType(int code) {
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
