package dev.vmwguest.hostsim;

/**
 * Whether the host offers the high-bandwidth port for message payloads
 * (shared/protocol/host-behaviour.md section 3.2).
 */
public enum HostHighBandwidthMode {
    /** The default: the HB bit is set in SEND_SIZE and RECEIVE_SIZE replies and HB transfers work. */
    OFFERED,
    /**
     * The HB bit is never set, but HB transfers still work, as on hosts OpenBSD
     * was tested on (it uses HB unconditionally). Clients must fall back to the
     * low-bandwidth words.
     */
    LOW_BANDWIDTH_ONLY,
    /** The HB bit is never set and every HB transfer fails with status 0. */
    STRICT_LOW_BANDWIDTH,
    /**
     * A confidential guest (AMD SEV, Intel TDX): the host cannot read or write
     * encrypted guest pages, so it never offers HB and every HB transfer fails
     * (Linux vmwgfx refuses HB in this case).
     */
    ENCRYPTED_MEMORY;

    boolean offered() {
        return this == OFFERED;
    }

    boolean transfersWork() {
        return this == OFFERED || this == LOW_BANDWIDTH_ONLY;
    }
}
