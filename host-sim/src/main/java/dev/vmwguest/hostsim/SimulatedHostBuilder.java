package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Settings for a {@link SimulatedHost}; every setter returns this builder.
 * Not thread-safe; build once per host.
 */
public final class SimulatedHostBuilder {

    private int channelLimit;
    private HostHighBandwidthMode highBandwidth = HostHighBandwidthMode.OFFERED;
    private CookieMode cookies = CookieMode.SUPPORTED;
    private HostProfile profile = HostProfile.ESX;
    private Clock clock = Clock.systemUTC();
    private UUID biosUuid = UUID.fromString("564d0a1b-2c3d-4e5f-8a9b-0c1d2e3f4a5b");
    private int cpuMhz = 2_400;
    private @Nullable String machineId;
    private int maxGuestMessage = 65_536;
    private boolean transcript = true;
    private boolean reportClosed;
    private boolean clearAxOnMessage = true;
    private boolean paranoid;
    private boolean rawRegisters;
    private long guestInfoSizeLimit = 1024 * 1024;
    private boolean timeWithLag = true;
    private int maxLagMicros;
    private int interruptLagMicros;
    private int hardwareVersion = 19;
    private int memoryMb = 4_096;
    private long tscHz = 2_400_000_000L;
    private int apicBusHz = 66_000_000;
    private int buildNumber = BackdoorCommand.NOT_HANDLED;
    private int vcpuInfo;
    private int screenSize = 1024 << 16 | 768;
    private String guestLogLevel = "info";
    private @Nullable Long cookieSeed;

    SimulatedHostBuilder() {
    }

    /**
     * Channels the table holds: 128 on current hosts (default), 8 before
     * July 2022 (guestrpc-channel.md section 5). The default follows the
     * profile when this is not called.
     *
     * @param channels 1 to 65,536
     * @return this builder
     * @throws IllegalArgumentException if the value is out of range
     */
    public SimulatedHostBuilder channelLimit(int channels) {
        if (channels < 1 || channels > 65_536) {
            throw new IllegalArgumentException("channel limit must be 1..65536, was " + channels);
        }
        this.channelLimit = channels;
        return this;
    }

    /**
     * Whether high-bandwidth transfers are offered (default {@link HostHighBandwidthMode#OFFERED}).
     *
     * @param mode what the host offers
     * @return this builder
     */
    public SimulatedHostBuilder highBandwidth(HostHighBandwidthMode mode) {
        this.highBandwidth = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * How OPEN treats the cookie flag (default {@link CookieMode#SUPPORTED}).
     *
     * @param mode how OPEN treats the cookie flag
     * @return this builder
     */
    public SimulatedHostBuilder cookies(CookieMode mode) {
        this.cookies = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Which host to play (default {@link HostProfile#ESX}).
     *
     * @param profile the host to play
     * @return this builder
     */
    public SimulatedHostBuilder profile(HostProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        return this;
    }

    /**
     * The host clock the time commands read (default the system UTC clock).
     *
     * @param clock the host clock
     * @return this builder
     */
    public SimulatedHostBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The BIOS UUID GETBIOSUUID reports ({@code uuid.bios}).
     *
     * @param uuid the BIOS UUID
     * @return this builder
     */
    public SimulatedHostBuilder biosUuid(UUID uuid) {
        this.biosUuid = Objects.requireNonNull(uuid, "uuid");
        return this;
    }

    /**
     * The processor speed GETMHZ reports (default 2400).
     *
     * @param mhz the processor speed in MHz
     * @return this builder
     */
    public SimulatedHostBuilder cpuMhz(int mhz) {
        this.cpuMhz = mhz;
        return this;
    }

    /**
     * The {@code machine.id} value {@code machine.id.get} returns (default unset: {@code 0 No value found}).
     *
     * @param machineId the {@code machine.id} value
     * @return this builder
     */
    public SimulatedHostBuilder machineId(String machineId) {
        this.machineId = Objects.requireNonNull(machineId, "machineId");
        return this;
    }

    /**
     * The largest guest message SEND_SIZE accepts, in bytes (default 65,536,
     * {@code GUESTMSG_MAX_IN_SIZE}); larger sizes are refused with status 0.
     *
     * @param bytes the largest accepted message, not negative
     * @return this builder
     * @throws IllegalArgumentException if the value is out of range
     */
    public SimulatedHostBuilder maxGuestMessage(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxGuestMessage must not be negative, was " + bytes);
        }
        this.maxGuestMessage = bytes;
        return this;
    }

    /**
     * Whether every call is recorded in {@link SimulatedHost#transcript()} (default on).
     *
     * @param on whether to record
     * @return this builder
     */
    public SimulatedHostBuilder transcript(boolean on) {
        this.transcript = on;
        return this;
    }

    /**
     * Benchmark settings: no transcript, and nothing else that costs per
     * call beyond the counters, so JMH measures the client.
     *
     * @return this builder
     */
    public SimulatedHostBuilder zeroCost() {
        this.transcript = false;
        this.paranoid = false;
        return this;
    }

    /**
     * Answer calls on dead channels with CLOSED ({@code 0x0004}) instead of 0 (CHOICE, default off).
     *
     * @param on whether to answer CLOSED
     * @return this builder
     */
    public SimulatedHostBuilder reportClosed(boolean on) {
        this.reportClosed = on;
        return this;
    }

    /**
     * Whether MESSAGE calls set {@code ax} to 0, as hosts did for Ken Kato's
     * client (default true), or leave it unchanged, as the observed-clients
     * harness did. open-vm-tools ignores it.
     *
     * @param on whether MESSAGE calls clear {@code ax}
     * @return this builder
     */
    public SimulatedHostBuilder clearAxOnMessage(boolean on) {
        this.clearAxOnMessage = on;
        return this;
    }

    /**
     * Overwrite registers a guest must not rely on with garbage ({@code ax}
     * after MESSAGE calls; {@code ax}, {@code dx}, {@code bp} after
     * high-bandwidth transfers), to catch clients that read them. Default off.
     *
     * @param on whether to overwrite those registers
     * @return this builder
     */
    public SimulatedHostBuilder paranoid(boolean on) {
        this.paranoid = on;
        return this;
    }

    /**
     * Take frames as the trapped instruction's registers (for the trap
     * launcher): the host then checks the magic in {@code ax} and the port in
     * {@code dx} like a real host, answering {@code ax = 0xFFFFFFFF} when they
     * are wrong, instead of supplying them as the {@link Backdoor} contract
     * says. Default off.
     *
     * @param on whether frames are the trapped registers
     * @return this builder
     */
    public SimulatedHostBuilder rawRegisters(boolean on) {
        this.rawRegisters = on;
        return this;
    }

    /**
     * {@code tools.setInfo.sizeLimit}: total bytes of guest-set guestinfo (default 1 MiB).
     *
     * @param bytes the limit
     * @return this builder
     */
    public SimulatedHostBuilder guestInfoSizeLimit(long bytes) {
        this.guestInfoSizeLimit = bytes;
        return this;
    }

    /**
     * Whether GETTIMEFULL_WITH_LAG (55) is answered (default true; false exercises the 55, 46, 23 fallback).
     *
     * @param supported whether command 55 is answered
     * @return this builder
     */
    public SimulatedHostBuilder timeWithLag(boolean supported) {
        this.timeWithLag = supported;
        return this;
    }

    /**
     * The max lag (cx of the time commands) and the interrupt lag (di of command 55), in microseconds.
     *
     * @param maxLagMicros the max lag
     * @param interruptLagMicros the interrupt lag
     * @return this builder
     */
    public SimulatedHostBuilder timeLag(int maxLagMicros, int interruptLagMicros) {
        this.maxLagMicros = maxLagMicros;
        this.interruptLagMicros = interruptLagMicros;
        return this;
    }

    /**
     * GETHWVERSION's answer (default 19).
     *
     * @param version the virtual hardware version
     * @return this builder
     */
    public SimulatedHostBuilder hardwareVersion(int version) {
        this.hardwareVersion = version;
        return this;
    }

    /**
     * GETMEMSIZE's answer in MB (default 4096).
     *
     * @param megabytes the memory size in MB
     * @return this builder
     */
    public SimulatedHostBuilder memoryMb(int megabytes) {
        this.memoryMb = megabytes;
        return this;
    }

    /**
     * GETBUILDNUM's answer (default {@code 0xFFFFFFFF}, "not reported").
     *
     * @param build the build number
     * @return this builder
     */
    public SimulatedHostBuilder buildNumber(int build) {
        this.buildNumber = build;
        return this;
    }

    /**
     * The level {@code guest.log.state} reports (default {@code info}).
     *
     * @param level the level name
     * @return this builder
     */
    public SimulatedHostBuilder guestLogLevel(String level) {
        this.guestLogLevel = Objects.requireNonNull(level, "level");
        return this;
    }

    /**
     * Makes cookies reproducible (default: random per call).
     *
     * @param seed the random seed
     * @return this builder
     */
    public SimulatedHostBuilder cookieSeed(long seed) {
        this.cookieSeed = seed;
        return this;
    }

    /**
     * The host.
     *
     * @return a new host with these settings
     */
    public SimulatedHost build() {
        return new SimulatedHost(this);
    }

    // ---------------------------------------------------------------- the settings, grouped by who uses them

    /** The channel limit: as set, or the profile's default. */
    int effectiveChannelLimit() {
        return channelLimit > 0 ? channelLimit : Math.max(1, profile.defaultChannelLimit());
    }

    ChannelRules channelRules() {
        return new ChannelRules(effectiveChannelLimit(), highBandwidth, cookies, maxGuestMessage, reportClosed,
                clearAxOnMessage);
    }

    HostFacts hostFacts() {
        return new HostFacts(profile, biosUuid, cpuMhz, timeWithLag, maxLagMicros, interruptLagMicros,
                hardwareVersion, memoryMb, tscHz, apicBusHz, buildNumber, vcpuInfo, screenSize);
    }

    RpciSettings rpciSettings() {
        return new RpciSettings(profile, Optional.ofNullable(machineId), guestLogLevel);
    }

    /** Where cookies come from: reproducible with {@link #cookieSeed(long)}, random per call otherwise. */
    IntSupplier cookieRandom() {
        Long seed = cookieSeed;
        if (seed == null) {
            return () -> ThreadLocalRandom.current().nextInt();
        }
        Random seeded = new Random(seed);
        return () -> {
            synchronized (seeded) {
                return seeded.nextInt();
            }
        };
    }

    HostProfile profile() {
        return profile;
    }

    Clock clock() {
        return clock;
    }

    boolean transcript() {
        return transcript;
    }

    boolean paranoid() {
        return paranoid;
    }

    boolean rawRegisters() {
        return rawRegisters;
    }

    long guestInfoSizeLimit() {
        return guestInfoSizeLimit;
    }
}
