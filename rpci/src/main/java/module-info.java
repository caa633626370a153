/**
 * RPCI: guest-to-host commands over a GuestRPC channel.
 * {@link dev.vmwguest.rpci.RpciClient} sends any command and offers typed
 * helpers (guestinfo, log, tools version, capabilities, power-operation
 * status); {@link dev.vmwguest.rpci.RpciCommands} encodes the exact wire
 * strings.
 *
 * <p>Host-to-guest commands (TCLO) live in {@code dev.vmwguest.tclo}.
 */
module dev.vmwguest.rpci {
    requires transitive dev.vmwguest.rpc;
    requires static org.jspecify;

    exports dev.vmwguest.rpci;
}
