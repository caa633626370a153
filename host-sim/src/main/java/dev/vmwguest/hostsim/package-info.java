/**
 * The simulated VMware host: start with {@link dev.vmwguest.hostsim.SimulatedHost}.
 *
 * <p>Everything here is thread-safe unless a type says otherwise. Nothing here
 * returns {@code null}.
 */
@NullMarked
package dev.vmwguest.hostsim;

import org.jspecify.annotations.NullMarked;
