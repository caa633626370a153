/**
 * What the vsock side needs from the simulator, as interfaces the simulator
 * implements. Not exported: nothing here is for users.
 */
@NullMarked
package dev.vmwguest.hostsim.internal;

import org.jspecify.annotations.NullMarked;
