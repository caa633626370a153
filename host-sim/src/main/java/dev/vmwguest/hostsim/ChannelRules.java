package dev.vmwguest.hostsim;

/**
 * How the message channel table behaves: the settings of {@link SimulatedHostBuilder} that
 * {@link MessageEngine} reads.
 *
 * @param channelLimit     channels the table holds
 * @param highBandwidth    whether high-bandwidth transfers are offered and work
 * @param cookies          how OPEN treats the cookie flag
 * @param maxGuestMessage  the largest guest message SEND_SIZE accepts
 * @param reportClosed     answer calls on dead channels with CLOSED instead of 0
 * @param clearAxOnMessage whether MESSAGE calls set {@code ax} to 0
 */
record ChannelRules(int channelLimit, HostHighBandwidthMode highBandwidth, CookieMode cookies, int maxGuestMessage,
        boolean reportClosed, boolean clearAxOnMessage) {
}
