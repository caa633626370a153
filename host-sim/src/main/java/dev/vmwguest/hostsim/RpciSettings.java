package dev.vmwguest.hostsim;

import java.util.Optional;

/**
 * The settings of {@link SimulatedHostBuilder} that the RPCI interpreter ({@link RpciEngine}) reads.
 *
 * @param profile       which host to play (whether the newer RPCI commands exist)
 * @param machineId     what {@code machine.id.get} returns, if set
 * @param guestLogLevel the level {@code guest.log.state} reports
 */
record RpciSettings(HostProfile profile, Optional<String> machineId, String guestLogLevel) {
}
