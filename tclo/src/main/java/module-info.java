/**
 * TCLO: host-to-guest commands. {@link dev.vmwguest.tclo.TcloEvents} polls
 * the TCLO channel on its own thread, parses each command into a typed
 * {@link dev.vmwguest.tclo.TcloCommand}, hands it to the application's
 * handlers and sends back their {@link dev.vmwguest.tclo.TcloReply}; it
 * answers the protocol's own commands ({@code reset}, {@code ping},
 * {@code Capabilities_Register}) itself and tracks the host's time-sync
 * policy.
 *
 * <p>Only the guest-tools role lives here: an application that merely reads
 * or writes guest variables needs {@code dev.vmwguest.rpci} alone. No native
 * code and no simulator in this module.
 */
module dev.vmwguest.tclo {
    requires transitive dev.vmwguest.rpci;
    requires static org.jspecify;

    exports dev.vmwguest.tclo;
}
