/**
 * A simulated VMware host for tests: a {@link dev.vmwguest.backdoor.Backdoor}
 * that answers register frames as the fact sheets in {@code shared/protocol/}
 * say a real host does, with a GuestRPC channel table, RPCI and TCLO host
 * sides, call counters, a transcript and fault injection
 * ({@code dev.vmwguest.hostsim}), and the same host's vsock side on
 * Unix-domain sockets standing in for AF_VSOCK
 * ({@code dev.vmwguest.hostsim.vsock}). Running unmodified programs against
 * it is the trap launcher's job, in its own module ({@code dev.vmwguest.trap}).
 *
 * <p>This module depends on the backdoor API only. It must not contain (or
 * depend on) guest-side protocol code from {@code dev.vmwguest.rpc}: it is
 * written from the fact sheets, so that a misunderstanding cannot pass on both
 * sides at once. Its provider ({@code sim}) is never selected automatically.
 */
module dev.vmwguest.hostsim {
    requires transitive dev.vmwguest.backdoor;
    // transitive: public signatures carry @Nullable (javac -Xlint:exports); still optional at run time
    requires static transitive org.jspecify;

    exports dev.vmwguest.hostsim;
    exports dev.vmwguest.hostsim.vsock;
    // dev.vmwguest.hostsim.internal: what the vsock side needs from the simulator; not for users

    provides dev.vmwguest.backdoor.spi.BackdoorProvider with dev.vmwguest.hostsim.SimulatedBackdoorProvider;
}
