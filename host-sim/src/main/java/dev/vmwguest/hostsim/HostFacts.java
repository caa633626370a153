package dev.vmwguest.hostsim;

import java.util.UUID;

/**
 * What the host reports about itself through the plain backdoor commands: the settings of
 * {@link SimulatedHostBuilder} that {@link HostCommands} reads.
 *
 * @param profile            which host to play
 * @param biosUuid           GETBIOSUUID's answer
 * @param cpuMhz             GETMHZ's answer
 * @param timeWithLag        whether GETTIMEFULL_WITH_LAG (55) is answered
 * @param maxLagMicros       the max lag of the time commands ({@code cx})
 * @param interruptLagMicros the interrupt lag of command 55 ({@code di})
 * @param hardwareVersion    GETHWVERSION's answer
 * @param memoryMb           GETMEMSIZE's answer in MB
 * @param tscHz              GETHZ's TSC frequency
 * @param apicBusHz          GETHZ's APIC bus frequency
 * @param buildNumber        GETBUILDNUM's answer
 * @param vcpuInfo           GET_VCPU_INFO's answer
 * @param screenSize         GETSCREENSIZE's answer, {@code width << 16 | height}
 */
record HostFacts(HostProfile profile, UUID biosUuid, int cpuMhz, boolean timeWithLag, int maxLagMicros,
        int interruptLagMicros, int hardwareVersion, int memoryMb, long tscHz, int apicBusHz, int buildNumber,
        int vcpuInfo, int screenSize) {
}
