/**
 * Host-to-guest commands. Start with
 * {@link dev.vmwguest.tclo.TcloEvents#builder(String)}.
 */
@NullMarked
package dev.vmwguest.tclo;

import org.jspecify.annotations.NullMarked;
