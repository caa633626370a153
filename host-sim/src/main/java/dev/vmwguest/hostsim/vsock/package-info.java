/**
 * The simulated host's vsock side: start it with
 * {@link dev.vmwguest.hostsim.SimulatedHost#vsock(java.nio.file.Path)}, then
 * read {@link dev.vmwguest.hostsim.vsock.HostVsockStandIn}'s connections and
 * events.
 *
 * <p>Everything here is thread-safe unless a type says otherwise. Nothing here
 * returns {@code null}.
 */
@NullMarked
package dev.vmwguest.hostsim.vsock;

import org.jspecify.annotations.NullMarked;
