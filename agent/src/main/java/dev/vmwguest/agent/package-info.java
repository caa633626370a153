/**
 * A guest agent for machines without VMware Tools. Start with
 * {@link dev.vmwguest.agent.GuestAgent#builder()}; configuration from
 * guestinfo in {@link dev.vmwguest.agent.GuestinfoConfig}, resource statistics in
 * {@link dev.vmwguest.agent.VmStatsReader}.
 */
@NullMarked
package dev.vmwguest.agent;

import org.jspecify.annotations.NullMarked;
