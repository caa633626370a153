package dev.vmwguest.agent;

import java.util.List;
import java.util.Objects;

/**
 * One snapshot of everything the agent reports.
 *
 * @param hostName          type 1
 * @param os                types 5, 6 and 11
 * @param network           types 10, 9 and 2
 * @param primaryIp         the value of {@code guestinfo.ip}, empty if no address qualifies
 * @param uptimeHundredths  type 7: hundredths of a second since boot
 * @param disks             {@code SetGuestDiskInfo}
 */
public record GuestFacts(String hostName, OsIdentity os, NetworkInfo network, String primaryIp,
        long uptimeHundredths, List<DiskUsage> disks) {

    /**
     * Checks for nulls and copies.
     *
     * @param hostName         type 1
     * @param os               types 5, 6 and 11
     * @param network          types 10, 9 and 2
     * @param primaryIp        the value of {@code guestinfo.ip}, empty if no address qualifies
     * @param uptimeHundredths type 7: hundredths of a second since boot
     * @param disks            {@code SetGuestDiskInfo}
     * @throws NullPointerException if a non-nullable component is null
     */
    public GuestFacts {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(primaryIp, "primaryIp");
        disks = List.copyOf(disks);
    }

    /**
     * Reads all facts from {@code sources}, applying vmtoolsd's NIC filters in {@code settings}.
     *
     * @param sources  where to read
     * @param settings NIC exclusion and priority patterns
     * @return the snapshot
     * @throws java.io.IOException if a source fails
     */
    public static GuestFacts gather(FactSources sources, AgentSettings settings) throws java.io.IOException {
        return FactGatherer.gather(sources, settings);
    }
}
