package dev.vmwguest.agent;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One reading of the VM's resource statistics from the host ({@code guestlib.info.get}).
 *
 * @param version        the reply version, 3 or 2
 * @param sessionId      the host's session id; it changes on vMotion, suspend/resume and snapshot revert
 * @param sessionChanged whether the session id differs from the previous reading of the same reader
 * @param numbers        the available numeric statistics
 * @param texts          the available text statistics
 */
public record VmStats(int version, long sessionId, boolean sessionChanged, Map<VmStat, Long> numbers,
        Map<VmStat, String> texts) {

    /**
     * Copies.
     *
     * @param version        the reply version, 3 or 2
     * @param sessionId      the host's session id; it changes on vMotion, suspend/resume and snapshot revert
     * @param sessionChanged whether the session id differs from the previous reading of the same reader
     * @param numbers        the available numeric statistics
     * @param texts          the available text statistics
     * @throws NullPointerException if a non-nullable component is null
     */
    public VmStats {
        numbers = Collections.unmodifiableMap(numbers.isEmpty() ? new EnumMap<>(VmStat.class) : new EnumMap<>(numbers));
        texts = Collections.unmodifiableMap(texts.isEmpty() ? new EnumMap<>(VmStat.class) : new EnumMap<>(texts));
    }

    /**
     * A numeric statistic in its {@link VmStat#unit()}.
     *
     * @param stat which
     * @return the value, empty if the host marked it not available or did not send it
     */
    public OptionalLong value(VmStat stat) {
        Long v = numbers.get(stat);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * A text statistic (resource pool path).
     *
     * @param stat which
     * @return the text, empty if not available
     */
    public Optional<String> text(VmStat stat) {
        return Optional.ofNullable(texts.get(stat));
    }

    /**
     * The host's processor speed.
     *
     * @return MHz
     */
    public OptionalLong hostCpuMhz() {
        return value(VmStat.HOST_CPU_SPEED);
    }

    /**
     * Memory reclaimed by the balloon driver.
     *
     * @return MB
     */
    public OptionalLong memoryBalloonedMb() {
        return value(VmStat.MEM_BALLOONED);
    }

    /**
     * Memory swapped out by the host.
     *
     * @return MB
     */
    public OptionalLong memorySwappedMb() {
        return value(VmStat.MEM_SWAPPED);
    }

    /**
     * The memory limit (unlimited is a host-specific large value).
     *
     * @return MB
     */
    public OptionalLong memoryLimitMb() {
        return value(VmStat.MEM_LIMIT);
    }

    /**
     * The memory reservation.
     *
     * @return MB
     */
    public OptionalLong memoryReservationMb() {
        return value(VmStat.MEM_RESERVATION);
    }

    /**
     * The CPU limit.
     *
     * @return MHz
     */
    public OptionalLong cpuLimitMhz() {
        return value(VmStat.CPU_LIMIT);
    }

    /**
     * The CPU reservation.
     *
     * @return MHz
     */
    public OptionalLong cpuReservationMhz() {
        return value(VmStat.CPU_RESERVATION);
    }
}
