package dev.vmwguest.agent;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the agent reports and how often; defaults are vmtoolsd's (guest-info.md 1.4, 2.6).
 *
 * @param interval        time between gathers; vmtoolsd's {@code [guestinfo] poll-interval}, 30 s
 * @param excludeNics     interface-name globs never reported; vmtoolsd's Linux default
 *                        {@code docker*,veth*,virbr*,antrea-*,cali*}
 * @param primaryNics     globs of interfaces reported first; default none
 * @param lowPriorityNics globs of interfaces reported last; default none
 * @param reportDisks     whether disk usage is reported ({@code disable-query-diskinfo} inverted)
 */
public record AgentSettings(Duration interval, List<String> excludeNics, List<String> primaryNics,
        List<String> lowPriorityNics, boolean reportDisks) {

    /** vmtoolsd's {@code GUESTINFO_POLL_INTERVAL}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** vmtoolsd's default {@code exclude-nics} on Linux. */
    public static final List<String> DEFAULT_EXCLUDE_NICS = List.of("docker*", "veth*", "virbr*", "antrea-*", "cali*");

    /**
     * Validates.
     *
     * @param interval        time between gathers; vmtoolsd's {@code [guestinfo] poll-interval}, 30 s
     * @param excludeNics     interface-name globs never reported; vmtoolsd's Linux default
     *                        {@code docker*,veth*,virbr*,antrea-*,cali*}
     * @param primaryNics     globs of interfaces reported first; default none
     * @param lowPriorityNics globs of interfaces reported last; default none
     * @param reportDisks     whether disk usage is reported ({@code disable-query-diskinfo} inverted)
     * @throws IllegalArgumentException if the interval is not positive
     */
    public AgentSettings {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        excludeNics = List.copyOf(excludeNics);
        primaryNics = List.copyOf(primaryNics);
        lowPriorityNics = List.copyOf(lowPriorityNics);
    }

    /**
     * vmtoolsd's defaults.
     *
     * @return 30 s, the default exclusions, no priorities, disks reported
     */
    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_INTERVAL, DEFAULT_EXCLUDE_NICS, List.of(), List.of(), true);
    }

    /**
     * These settings with another interval.
     *
     * @param value the new interval
     * @return a copy
     */
    public AgentSettings withInterval(Duration value) {
        return new AgentSettings(value, excludeNics, primaryNics, lowPriorityNics, reportDisks);
    }

    /**
     * These settings with other exclusion globs (an empty list excludes nothing).
     *
     * @param globs the patterns
     * @return a copy
     */
    public AgentSettings withExcludeNics(List<String> globs) {
        return new AgentSettings(interval, globs, primaryNics, lowPriorityNics, reportDisks);
    }

    /**
     * These settings with other priority globs.
     *
     * @param primary reported first
     * @param low     reported last
     * @return a copy
     */
    public AgentSettings withNicPriorities(List<String> primary, List<String> low) {
        return new AgentSettings(interval, excludeNics, primary, low, reportDisks);
    }

    /**
     * These settings with disk reporting on or off.
     *
     * @param value whether to report disks
     * @return a copy
     */
    public AgentSettings withReportDisks(boolean value) {
        return new AgentSettings(interval, excludeNics, primaryNics, lowPriorityNics, value);
    }
}
