/**
 * A guest agent for machines without VMware Tools. Start with
 * {@link dev.vmwguest.agent.GuestAgent#builder(dev.vmwguest.backdoor.Backdoor)}; configuration from
 * guestinfo in {@link dev.vmwguest.agent.GuestinfoConfig}, resource statistics in
 * {@link dev.vmwguest.agent.VmStatsReader}.
 */
@NullMarked
package dev.vmwguest.agent;

import org.jspecify.annotations.NullMarked;
