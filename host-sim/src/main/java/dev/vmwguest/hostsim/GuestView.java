package dev.vmwguest.hostsim;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What vSphere would show about the guest, decoded by the simulated host from
 * what the guest reported (guest-info.md): the latest successfully decoded
 * value of each fact, and every report it could not decode. A snapshot:
 * immutable, taken by {@link SimulatedHost#guest()}.
 *
 * <p>Which report fills what (the mapping to vSphere properties is inferred,
 * guest-info.md section 7 item 3): type 1 the host name; types 10, 9 and 2 the
 * network; types 11, 5 and 6 the OS; type 7 the uptime; type 4 the build
 * number; {@code SetGuestDiskInfo} and type 3 the disks; {@code info-set
 * guestinfo.ip} the primary address; {@code tools.set.version[type]}, the
 * {@code tools.capability.*} registrations and the attached TCLO channel the
 * tools state. Type 8 (guest statistics) is recorded raw only
 * ({@link SimulatedHost#setGuestInfo(int)}).
 *
 * @param hostName     the host name (type 1)
 * @param primaryIp    the {@code guestinfo.ip} value set after {@code Set_Option broadcastIP 1}
 * @param network      the latest decoded NIC report
 * @param os           the OS identity
 * @param uptime       the uptime in hundredths of a second (type 7)
 * @param buildNumber  the tools build, e.g. {@code build-21581411} (type 4)
 * @param disks        the file systems from the latest disk report, empty if none
 * @param tools        the tools state
 * @param decodeErrors the reports the host accepted but could not decode, oldest first (at most 100 kept)
 */
public record GuestView(Optional<String> hostName, Optional<String> primaryIp, Optional<GuestNetwork> network,
        Os os, OptionalLong uptime, Optional<String> buildNumber, List<Disk> disks, Tools tools,
        List<GuestInfoDecodeError> decodeErrors) {

    /**
     * Copies the lists.
     *
     * @param hostName     the host name (type 1)
     * @param primaryIp    the {@code guestinfo.ip} value
     * @param network      the latest decoded NIC report
     * @param os           the OS identity
     * @param uptime       the uptime in hundredths of a second (type 7)
     * @param buildNumber  the tools build (type 4)
     * @param disks        the file systems from the latest disk report, empty if none
     * @param tools        the tools state
     * @param decodeErrors the reports the host accepted but could not decode, oldest first
     * @throws NullPointerException if a component is null
     */
    public GuestView {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(primaryIp, "primaryIp");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(buildNumber, "buildNumber");
        disks = List.copyOf(disks);
        Objects.requireNonNull(tools, "tools");
        decodeErrors = List.copyOf(decodeErrors);
    }

    /**
     * The uptime as a duration.
     *
     * @return the uptime, if reported
     */
    public Optional<Duration> uptimeDuration() {
        return uptime.isPresent() ? Optional.of(Duration.ofMillis(uptime.getAsLong() * 10)) : Optional.empty();
    }

    /**
     * The view as indented text, one fact per line, as {@code vmwguest sim run} prints it.
     *
     * @return the text, ending with a line break
     */
    public String format() {
        return GuestViewText.format(this);
    }

    /**
     * The OS identity.
     *
     * @param shortName    the guest OS id, e.g. {@code debian12-64} (type 6, or type 11's header)
     * @param fullName     the full name (type 5, or type 11's header)
     * @param detailedData the detailed string of type 11, as sent
     * @param details      its {@code name='value'} pairs in the guest's order, unescaped
     */
    public record Os(Optional<String> shortName, Optional<String> fullName, Optional<String> detailedData,
            Map<String, String> details) {

        /**
         * Copies the map, keeping its order.
         *
         * @param shortName    the guest OS id, e.g. {@code debian12-64}
         * @param fullName     the full name
         * @param detailedData the detailed string of type 11, as sent
         * @param details      its {@code name='value'} pairs in the guest's order, unescaped
         * @throws NullPointerException if a component is null
         */
        public Os {
            Objects.requireNonNull(shortName, "shortName");
            Objects.requireNonNull(fullName, "fullName");
            Objects.requireNonNull(detailedData, "detailedData");
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    /**
     * One file system of the disk report.
     *
     * @param mountPoint the mount point (decoded from base64 for {@code SetGuestDiskInfo})
     * @param freeBytes  free space in bytes
     * @param sizeBytes  capacity in bytes
     * @param fsType     the file system type, if sent
     * @param devices    the disk devices, e.g. {@code scsi0:0}, if sent
     */
    public record Disk(String mountPoint, long freeBytes, long sizeBytes, Optional<String> fsType,
            List<String> devices) {

        /**
         * Copies the list.
         *
         * @param mountPoint the mount point
         * @param freeBytes  free space in bytes
         * @param sizeBytes  capacity in bytes
         * @param fsType     the file system type, if sent
         * @param devices    the disk devices, e.g. {@code scsi0:0}, if sent
         * @throws NullPointerException if a component is null
         */
        public Disk {
            Objects.requireNonNull(mountPoint, "mountPoint");
            Objects.requireNonNull(fsType, "fsType");
            devices = List.copyOf(devices);
        }
    }

    /**
     * The tools state (guest-info.md section 4).
     *
     * @param running       whether a TCLO channel is attached as {@code toolbox} now: what the VMX
     *                      derives "running" from (section 4.3)
     * @param versionNumber the number from {@code tools.set.version} or {@code tools.set.versiontype}
     *                      as an unsigned 32-bit value, if sent
     * @param installType   the install type from {@code tools.set.versiontype} (4 = open-vm-tools)
     * @param capabilities  the {@code tools.capability.*} names registered
     */
    public record Tools(boolean running, OptionalLong versionNumber, OptionalInt installType,
            Set<String> capabilities) {

        /** {@code TOOLS_VERSION_UNMANAGED}: tools whose lifecycle VMware does not manage. */
        public static final long UNMANAGED = 0x7FFF_FFFFL;

        /**
         * Copies the set.
         *
         * @param running       whether a TCLO channel is attached as {@code toolbox} now
         * @param versionNumber the tools version number as an unsigned 32-bit value, if sent
         * @param installType   the install type from {@code tools.set.versiontype}, if sent
         * @param capabilities  the {@code tools.capability.*} names registered
         * @throws NullPointerException if a component is null
         */
        public Tools {
            Objects.requireNonNull(versionNumber, "versionNumber");
            Objects.requireNonNull(installType, "installType");
            capabilities = Set.copyOf(capabilities);
        }

        /**
         * Whether the guest claimed {@link #UNMANAGED} ({@code guestToolsUnmanaged} in vSphere).
         *
         * @return true for version 2147483647
         */
        public boolean unmanaged() {
            return versionNumber.isPresent() && versionNumber.getAsLong() == UNMANAGED;
        }

        /**
         * The version as {@code major.minor.base}, decoded from {@code (major << 10) + (minor << 5) + base}.
         *
         * @return the version text; empty if none was sent, or it is unmanaged, 0, 1 or 0xFFFFFFFF
         */
        public Optional<String> version() {
            if (versionNumber.isEmpty()) {
                return Optional.empty();
            }
            long v = versionNumber.getAsLong();
            if (v <= 1 || v == UNMANAGED || v == 0xFFFF_FFFFL) {
                return Optional.empty();
            }
            return Optional.of((v >> 10) + "." + (v >> 5 & 0x1F) + "." + (v & 0x1F));
        }
    }
}
