package dev.vmwguest.rpc;

import java.util.Locale;

/**
 * When a channel moves payloads over the high-bandwidth port (one backdoor
 * call per message direction) instead of four bytes per call.
 *
 * <p>Set per channel through {@link RpcChannelOptions}, or process-wide with
 * {@code -Dvmwguest.rpc.highBandwidth=auto|never} or
 * {@code VMWGUEST_RPC_HIGH_BANDWIDTH}.
 */
public enum HighBandwidthPolicy {
    /**
     * Whenever the host offers it for a message, unless this guest's memory is
     * encrypted (AMD SEV, Intel TDX): the host cannot read or write encrypted
     * pages for {@code rep outsb/insb}, so such guests use the low-bandwidth
     * path, as Linux's own VMware code does. See {@link #permitsHighBandwidth()}.
     */
    AUTO,
    /** Never: every payload moves four bytes per call. For hosts or tests that need it. */
    NEVER;

    /** System property selecting the policy. */
    public static final String PROPERTY = "vmwguest.rpc.highBandwidth";
    /** Environment variable selecting the policy. */
    public static final String ENV = "VMWGUEST_RPC_HIGH_BANDWIDTH";

    /**
     * The policy this process asked for; {@link #AUTO} when unset.
     *
     * @return the policy this process asked for
     * @throws IllegalArgumentException for a value other than auto/never
     */
    public static HighBandwidthPolicy fromEnvironment() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
        }
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "never", "off", "false" -> NEVER;
            default -> throw new IllegalArgumentException(PROPERTY + " / " + ENV + " is '" + value
                    + "'; expected auto or never");
        };
    }

    /**
     * Whether payloads may use the high-bandwidth port under this policy in
     * this guest: never under {@link #NEVER}, and under {@link #AUTO} unless
     * the guest's memory is encrypted (SEV, TDX; docs/protocol.md section on
     * confidential guests says how that is detected).
     *
     * @return whether high bandwidth is permitted
     */
    public boolean permitsHighBandwidth() {
        return this == AUTO && !ConfidentialGuest.memoryEncrypted();
    }
}
