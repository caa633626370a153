/**
 * The backdoor contract and the host facts read through it.
 *
 * <p>Start with {@link dev.vmwguest.backdoor.Backdoors#open()} and
 * {@link dev.vmwguest.backdoor.HostInfo#query(Backdoor)}.
 */
@NullMarked
package dev.vmwguest.backdoor;

import org.jspecify.annotations.NullMarked;
