package dev.vmwguest.hostsim;

/**
 * How the host treats the cookie flag ({@code 0x80000000}) of a MESSAGE OPEN
 * (shared/protocol/host-behaviour.md section 2).
 */
public enum CookieMode {
    /** Current hosts: flagged opens get two random cookies, flag-less opens work without cookies. */
    SUPPORTED,
    /** Flag-less opens fail: every channel must carry cookies. */
    REQUIRED,
    /**
     * Very old hosts: flagged opens fail, flag-less opens work. open-vm-tools
     * then retries once without the flag; this mode exercises that fallback.
     */
    UNSUPPORTED
}
