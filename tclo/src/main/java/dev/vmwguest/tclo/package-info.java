/**
 * Host-to-guest commands. Start with
 * {@link dev.vmwguest.tclo.TcloEvents#builder(dev.vmwguest.backdoor.Backdoor, String)}.
 */
@NullMarked
package dev.vmwguest.tclo;

import org.jspecify.annotations.NullMarked;
