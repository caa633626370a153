package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A simulated VMware host: a {@link Backdoor} that answers register frames as
 * the fact sheets in {@code shared/protocol/} say a real host does, for tests
 * that have no VMware (ours, and our users').
 *
 * <p>It is a working host, not a mock (as Netty's {@code EmbeddedChannel} is a
 * working channel): GETVERSION, the time commands, GETBIOSUUID, GETMHZ and the
 * others of host-behaviour.md section 1.1; MESSAGE with its channel table (128
 * channels, random cookies checked on every call, protocol order enforced);
 * the RPCI host side ({@link #guestInfo()}, {@link #log()}, {@link #rpci()}) and
 * the TCLO host side ({@link #tclo()}). What the guest did is visible in
 * {@link #calls()} and {@link #transcript()}; {@link #faults()} makes the host
 * fail the ways real hosts fail. {@link #vsock(java.nio.file.Path)} serves the same
 * state over a Unix-socket stand-in for vsock (RPCI on 976, pushed TCLO on 975). Protocol violations are answered as the host
 * answers them, with status bits, and counted; nothing is thrown into the
 * guest's code path.
 *
 * <h2>Testing your code against it</h2>
 * <pre>{@code
 * class InventoryAgentTest {
 *
 *     private final SimulatedHost host = SimulatedHost.create();
 *
 *     @Test
 *     void publishesTheHostNameAsGuestInfo() {
 *         host.guestInfo().put("guestinfo.role", "web");       // as a .vmx entry would
 *
 *         new InventoryAgent(host).publish();                  // your code, given the Backdoor
 *
 *         assertThat(host.guestInfo().get("agent.hostname")).contains("web-01");
 *         assertThat(host.log()).contains("inventory agent started");
 *         assertThat(host.openChannels()).isZero();            // it closed what it opened
 *         assertThat(host.calls().violations()).isZero();      // and followed the protocol
 *     }
 *
 *     @Test
 *     void survivesASnapshotInTheMiddleOfAMessage() {
 *         host.faults().checkpointOnce(MessageType.RECEIVE_STATUS);
 *
 *         new InventoryAgent(host).publish();
 *
 *         assertThat(host.faults().pending()).isEmpty();       // the checkpoint did happen
 *     }
 * }
 * }</pre>
 * Code that obtains its backdoor with {@code Backdoors.open()} gets the
 * {@linkplain #shared() shared host} with {@code -Dvmwguest.backdoor=sim}. The
 * example is compiled and run as {@code UserGuideExampleTest}.
 *
 * <h2>Threads and cost</h2>
 * Thread-safe: each channel has its own lock, so guest threads on different
 * channels do not contend. Frames and buffers belong to the caller. Per call
 * the host allocates nothing on the message path except completed messages
 * and replies; with the {@linkplain Builder#zeroCost() zero-cost} settings no
 * transcript is kept either, so benchmarks measure the client.
 *
 * <h2>Registers</h2>
 * As the {@link Backdoor} contract says, this implementation supplies what the
 * instruction implies: {@code ax} = magic and the port in the low half of
 * {@code dx} for every call, and for the high-bandwidth transfers the count in
 * {@code cx} from the buffer. With {@link Builder#rawRegisters(boolean)} it
 * instead takes the frame as the trapped instruction's registers (the trap
 * launcher's case) and checks the magic like a host.
 */
public final class SimulatedHost implements Backdoor {

    /** The settings a host was built with. */
    record Config(int channelLimit, HighBandwidthMode highBandwidth, CookieMode cookies, HostProfile profile,
            UUID biosUuid, int cpuMhz, Optional<String> machineId, int maxGuestMessage, boolean transcript,
            boolean reportClosed, boolean clearAxOnMessage, boolean paranoid, boolean rawRegisters,
            long guestInfoSizeLimit, boolean timeWithLag, int maxLagMicros, int interruptLagMicros,
            int hardwareVersion, int memoryMb, long tscHz, int apicBusHz, int buildNumber, int vcpuInfo,
            int screenSize, String guestLogLevel) {
    }

    private static final int PARANOID_GARBAGE = 0xBAD0BAD0;

    private final Config config;
    private volatile Clock clock;
    private final CallCounters counters = new CallCounters();
    private final Faults faults = new Faults();
    private final Transcript transcript;
    private final GuestInfoStore guestInfo;
    private final RpciHandlers rpciHandlers = new RpciHandlers();
    private final ConcurrentLinkedQueue<Runnable> afterUnlock = new ConcurrentLinkedQueue<>();
    private final TcloQueue tclo;
    private final RpciEngine rpci;
    private final MessageEngine messages;
    private final HostCommands commands;
    private final List<VsockStandIn> standIns = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SimulatedHost(Builder builder) {
        int limit = builder.channelLimit > 0 ? builder.channelLimit
                : Math.max(1, builder.profile.defaultChannelLimit());
        this.config = new Config(limit, builder.highBandwidth, builder.cookies, builder.profile, builder.biosUuid,
                builder.cpuMhz, Optional.ofNullable(builder.machineId), builder.maxGuestMessage, builder.transcript,
                builder.reportClosed, builder.clearAxOnMessage, builder.paranoid, builder.rawRegisters,
                builder.guestInfoSizeLimit, builder.timeWithLag, builder.maxLagMicros, builder.interruptLagMicros,
                builder.hardwareVersion, builder.memoryMb, builder.tscHz, builder.apicBusHz, builder.buildNumber,
                builder.vcpuInfo, builder.screenSize, builder.guestLogLevel);
        this.clock = builder.clock;
        this.transcript = new Transcript(builder.transcript);
        this.guestInfo = new GuestInfoStore(builder.guestInfoSizeLimit);
        this.tclo = new TcloQueue(faults, afterUnlock::add);
        this.rpci = new RpciEngine(config, guestInfo, rpciHandlers, tclo, faults, counters);
        IntSupplier random;
        if (builder.cookieSeed != null) {
            Random seeded = new Random(builder.cookieSeed);
            random = () -> {
                synchronized (seeded) {
                    return seeded.nextInt();
                }
            };
        } else {
            random = () -> ThreadLocalRandom.current().nextInt();
        }
        this.messages = new MessageEngine(config, counters, faults, tclo, rpci, random);
        this.commands = new HostCommands(config);
    }

    /**
     * A host with the defaults: ESX profile, 128 channels, cookies supported, high bandwidth offered, transcript on.
     *
     * @return a host with the defaults
     */
    public static SimulatedHost create() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults of {@link #create()}.
     *
     * @return a builder starting from the defaults of {@link #create()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The process-wide host that the {@code sim} provider hands out
     * ({@code -Dvmwguest.backdoor=sim}), created with {@link #create()} on first
     * use. Tests sharing it see each other's state: prefer a host of your own
     * and pass it to the code under test where you can.
     *
     * @return the process-wide host that the {@code sim} provider hands out ({@code -Dvmwguest.backdoor=sim}), created with {@link #create()} on first use
     */
    public static SimulatedHost shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final SimulatedHost INSTANCE = create();
    }

    // ---------------------------------------------------------------- Backdoor

    @Override
    public void call(RegisterFrame frame) {
        counters.call();
        RegisterFrame in = transcript.enabled() ? new RegisterFrame().copyFrom(frame) : null;
        if (!config.rawRegisters()) {
            frame.ax(MAGIC).dx(RegisterFrame.halves(RegisterFrame.high16(frame.dx()), LOW_BANDWIDTH_PORT));
        }
        int command = RegisterFrame.low16(frame.cx());
        if (frame.ax() != MAGIC || RegisterFrame.low16(frame.dx()) != LOW_BANDWIDTH_PORT) {
            // No backdoor here (QEMU's answer; real VMware's is not in the sources): CHOICE.
            frame.ax(BackdoorCommand.NOT_HANDLED);
        } else if (command == BackdoorCommand.MESSAGE && config.profile().guestRpc()) {
            messages.call(frame);
            if (config.paranoid()) {
                frame.ax(PARANOID_GARBAGE);
            }
        } else if (!commands.answer(command, frame, clock)) {
            frame.ax(BackdoorCommand.NOT_HANDLED);
        }
        if (in != null) {
            transcript.record(TranscriptEntry.Kind.LOW_BANDWIDTH, in, frame, new byte[0], Notes.lowBandwidth(in, frame));
        }
        runAfterUnlock();
    }

    @Override
    public void send(RegisterFrame frame, ByteBuffer source) {
        counters.highBandwidth(true);
        RegisterFrame in = highBandwidthIn(frame, source.remaining());
        int moved = 0;
        if (highBandwidthAnswered(frame)) {
            moved = messages.send(frame, source);
            if (moved > 0) {
                frame.cx(0); // a completed rep leaves the count at zero
            }
            paranoidHighBandwidth(frame);
        }
        if (in != null) {
            byte[] payload = new byte[moved];
            source.get(source.position(), payload);
            transcript.record(TranscriptEntry.Kind.HIGH_BANDWIDTH_OUT, in, frame, payload, Notes.highBandwidth("out", in, frame));
        }
        runAfterUnlock();
    }

    @Override
    public void receive(RegisterFrame frame, ByteBuffer target) {
        if (target.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        counters.highBandwidth(false);
        RegisterFrame in = highBandwidthIn(frame, target.remaining());
        int moved = 0;
        if (highBandwidthAnswered(frame)) {
            moved = messages.receive(frame, target);
            if (moved > 0) {
                frame.cx(0);
            }
            paranoidHighBandwidth(frame);
        }
        if (in != null) {
            byte[] payload = new byte[moved];
            target.get(target.position(), payload);
            transcript.record(TranscriptEntry.Kind.HIGH_BANDWIDTH_IN, in, frame, payload, Notes.highBandwidth("in", in, frame));
        }
        runAfterUnlock();
    }

    /** {@link BackdoorMechanism#SIMULATED}. */
    @Override
    public BackdoorMechanism mechanism() {
        return BackdoorMechanism.SIMULATED;
    }

    private @Nullable RegisterFrame highBandwidthIn(RegisterFrame frame, int count) {
        if (!config.rawRegisters()) {
            frame.ax(MAGIC).cx(count)
                    .dx(RegisterFrame.halves(RegisterFrame.high16(frame.dx()), HIGH_BANDWIDTH_PORT));
        }
        return transcript.enabled() ? new RegisterFrame().copyFrom(frame) : null;
    }

    private boolean highBandwidthAnswered(RegisterFrame frame) {
        if (frame.ax() != MAGIC || RegisterFrame.low16(frame.dx()) != HIGH_BANDWIDTH_PORT
                || !config.profile().guestRpc()) {
            frame.ax(BackdoorCommand.NOT_HANDLED);
            return false;
        }
        return true;
    }

    private void paranoidHighBandwidth(RegisterFrame frame) {
        if (config.paranoid()) {
            frame.ax(PARANOID_GARBAGE).dx(PARANOID_GARBAGE).bp(PARANOID_GARBAGE);
        }
    }

    /** TCLO futures and power-operation results complete here, after every host lock is released. */
    void runAfterUnlock() {
        if (!afterUnlock.isEmpty()) {
            Runnable task;
            while ((task = afterUnlock.poll()) != null) {
                task.run();
            }
        }
    }

    // ---------------------------------------------------------------- what tests see and control

    /**
     * The guest variables {@code info-get}/{@code info-set} work on; tests preset and read them.
     *
     * @return the guest variables {@code info-get}/{@code info-set} work on
     */
    public GuestInfoStore guestInfo() {
        return guestInfo;
    }

    /**
     * The lines the guest logged with RPCI {@code log <text>}, oldest first (the VM's {@code vmware.log}).
     *
     * @return the lines the guest logged with RPCI {@code log <text>}, oldest first (the VM's {@code vmware.log})
     */
    public List<String> log() {
        return rpci.log();
    }

    /**
     * The capability names the guest registered with {@code tools.capability.<name>}, e.g. {@code statechange}.
     *
     * @return the capability names the guest registered
     */
    public Set<String> capabilities() {
        return rpci.capabilities().keySet();
    }

    /**
     * The arguments the guest sent with capability {@code name} (empty text for the "no value" form).
     *
     * @param name the capability name, such as {@code resolution_set}
     * @return the arguments the guest sent with capability {@code name} (empty text for the "no value" form)
     */
    public Optional<String> capability(String name) {
        return Optional.ofNullable(rpci.capabilities().get(name));
    }

    /**
     * New-style capabilities from {@code tools.capability.features i=v ...}, by index.
     *
     * @return the capability values by index, in the order the guest sent them
     */
    public Map<Integer, String> features() {
        return rpci.features();
    }

    /**
     * The tools version the guest reported ({@code tools.set.version} or {@code tools.set.versiontype}), as sent.
     *
     * @return the tools version the guest reported ({@code tools.set.version} or {@code tools.set.versiontype}), as sent
     */
    public Optional<String> toolsVersion() {
        return rpci.toolsVersion();
    }

    /**
     * The tools install type from {@code tools.set.versiontype} (4 = open-vm-tools).
     *
     * @return the tools install type from {@code tools.set.versiontype} (4 = open-vm-tools)
     */
    public Optional<String> toolsVersionType() {
        return rpci.toolsVersionType();
    }

    /**
     * The raw data of the latest {@code SetGuestInfo} of {@code type} (7 = uptime, 1 = DNS name ...).
     *
     * @param type the {@code SetGuestInfo} type number
     * @return the raw data of the latest {@code SetGuestInfo} of {@code type} (7 = uptime, 1 = DNS name ...)
     */
    public Optional<byte[]> setGuestInfo(int type) {
        return rpci.setGuestInfo(type);
    }

    /**
     * The latest {@code SetGuestDiskInfo} JSON.
     *
     * @return the latest {@code SetGuestDiskInfo} JSON
     */
    public Optional<String> diskInfo() {
        return rpci.diskInfo();
    }

    /**
     * The TCLO apps the guest announced with {@code vmx.capability.unified_loop <app>}.
     *
     * @return the TCLO apps the guest announced with {@code vmx.capability.unified_loop <app>}
     */
    public List<String> unifiedLoopApps() {
        return rpci.unifiedLoopApps();
    }

    /**
     * Other recorded reports, one line each with the command name: {@code guest.log.text},
     * {@code update.tools.health}, {@code vmbackup.eventSet}, {@code deployPkg.update.state},
     * {@code tools.os.statechange.status}.
     *
     * @return the recorded reports, oldest first
     */
    public List<String> reports() {
        return rpci.otherReports();
    }

    /**
     * Host-side RPCI commands: add handlers of your own, deny or unknow built-in ones.
     *
     * @return the host's RPCI command table
     */
    public RpciHandlers rpci() {
        return rpciHandlers;
    }

    /**
     * Host-to-guest TCLO commands.
     *
     * @return the queue of commands the host sends the guest
     */
    public TcloQueue tclo() {
        return tclo;
    }

    /**
     * Backdoor calls, message sub-commands and bytes moved so far.
     *
     * @return the counters, live
     */
    public CallCounters calls() {
        return counters;
    }

    /**
     * Channels open now.
     *
     * @return the number of channels open now
     */
    public int openChannels() {
        return messages.openChannels();
    }

    /**
     * The recorded calls (empty when the transcript is off).
     *
     * @return the recorded calls (empty when the transcript is off)
     */
    public Transcript transcript() {
        return transcript;
    }

    /**
     * Runs an unmodified program (VMware's {@code vmware-rpctool}, a user's
     * agent, a JVM using the native backdoor) with its backdoor accesses
     * answered by this host: {@code TrapLauncher.run(this, command)}. Linux
     * x86-64 only; see {@link TrapLauncher#isSupported()}.
     *
     * @param command the program and its arguments
     * @return the program's exit code and output, with this host
     */
    public TrapResult<SimulatedHost> runUnderTrap(List<String> command) {
        return TrapLauncher.run(this, command);
    }

    /**
     * As {@link #runUnderTrap(List)} with explicit options (timeout, environment, supervisor log...).
     *
     * @param command the program and its arguments
     * @param options the timeout, environment and logging of the run
     * @return the program's exit code and output, with this host
     */
    public TrapResult<SimulatedHost> runUnderTrap(List<String> command, TrapOptions options) {
        return TrapLauncher.run(this, command, options);
    }

    /**
     * Starts this host's vsock side on Unix-domain sockets in {@code directory}
     * (created if missing): {@code 976.sock}, {@code 976-privileged.sock},
     * {@code 975.sock}, {@code 975-privileged.sock}, sharing this host's state.
     * See {@link VsockStandIn} for the contract. Close it when done.
     *
     * @param directory where the sockets are created
     * @return the running stand-in; close it to remove the sockets
     * @throws java.io.UncheckedIOException if the directory or a socket file cannot be created
     *         (for example a socket file left by another stand-in)
     */
    public VsockStandIn vsock(java.nio.file.Path directory) {
        return vsock(directory, VsockOptions.defaults());
    }

    /**
     * As {@link #vsock(java.nio.file.Path)} with explicit heartbeat and packet-size settings.
     *
     * @param directory where the sockets are created
     * @param options heartbeat and packet-size settings
     * @return the running stand-in; close it to remove the sockets
     */
    public VsockStandIn vsock(java.nio.file.Path directory, VsockOptions options) {
        VsockStandIn standIn = new VsockStandIn(this, rpci, tclo, directory, options);
        standIns.add(standIn);
        return standIn;
    }

    void forget(VsockStandIn standIn) {
        standIns.remove(standIn);
    }

    /**
     * Makes requests starting with {@code requestPrefix} (e.g. {@code "info-set guestinfo."})
     * need a secure caller: a vsock connection from a privileged source port. Everyone else,
     * backdoor callers included, gets {@code 0 Permission denied} (transports.md section 1.8).
     * Shorthand for {@code rpci().requireSecure(requestPrefix)}.
     *
     * @param requestPrefix the start of the requests that need a privileged caller
     * @return this host, for chaining
     */
    public SimulatedHost requireSecure(String requestPrefix) {
        rpciHandlers.requireSecure(requestPrefix);
        return this;
    }

    /**
     * Faults to inject into the next calls.
     *
     * @return the faults of this host, to arm
     */
    public Faults faults() {
        return faults;
    }

    /**
     * Resets the host as after resume or vMotion: every channel becomes invalid
     * (later calls with its id or cookies fail with status 0), partial and
     * queued channel messages are lost, an outstanding TCLO command fails, and
     * the next TCLO channel the guest opens is sent {@code reset} first.
     * Guest variables and commands still queued for TCLO are kept. Open vsock
     * connections of its {@linkplain #vsock stand-ins} are closed too (reason
     * {@code "host reset"}); the stand-ins keep listening (CHOICE: transports.md
     * section 1.7 only says a VM operation may end a vsock connection, uncertain).
     * Pitfall: do not call it from inside an {@link RpciHandler}.
     */
    public void resetHost() {
        messages.closeAll();
        standIns.forEach(VsockStandIn::resetConnections);
        runAfterUnlock();
    }

    /**
     * The host clock the time commands read from now on.
     *
     * @param clock the clock to read the host time from
     */
    public void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The host clock.
     *
     * @return the host clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The channel limit this host enforces.
     *
     * @return the channel limit this host enforces
     */
    public int channelLimit() {
        return config.channelLimit();
    }

    /**
     * The profile this host plays.
     *
     * @return the profile this host plays
     */
    public HostProfile profile() {
        return config.profile();
    }

    @Override
    public String toString() {
        return "SimulatedHost[" + config.profile() + ", " + openChannels() + "/" + config.channelLimit()
                + " channels, " + counters.total() + " calls]";
    }

    /**
     * Settings for a {@link SimulatedHost}; every setter returns this builder.
     * Not thread-safe; build once per host.
     */
    public static final class Builder {

        private int channelLimit;
        private HighBandwidthMode highBandwidth = HighBandwidthMode.OFFERED;
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

        private Builder() {
        }

        /**
         * Channels the table holds: 128 on current hosts (default), 8 before
         * July 2022 (guestrpc-channel.md section 5). The default follows the
         * profile when this is not called.
         *
         * @param channels how many channels the host's table holds, 1 or more
         * @return this builder
         */
        public Builder channelLimit(int channels) {
            if (channels < 1 || channels > 65_536) {
                throw new IllegalArgumentException("channel limit must be 1..65536, was " + channels);
            }
            this.channelLimit = channels;
            return this;
        }

        /**
         * Whether high-bandwidth transfers are offered (default {@link HighBandwidthMode#OFFERED}).
         *
         * @param mode whether high-bandwidth transfers are offered
         * @return this builder
         */
        public Builder highBandwidth(HighBandwidthMode mode) {
            this.highBandwidth = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How OPEN treats the cookie flag (default {@link CookieMode#SUPPORTED}).
         *
         * @param mode how OPEN treats the cookie flag
         * @return this builder
         */
        public Builder cookies(CookieMode mode) {
            this.cookies = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Which host to play (default {@link HostProfile#ESX}).
         *
         * @param profile the host to play
         * @return this builder
         */
        public Builder profile(HostProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * The host clock the time commands read (default the system UTC clock).
         *
         * @param clock the host clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The BIOS UUID GETBIOSUUID reports ({@code uuid.bios}).
         *
         * @param uuid the BIOS UUID
         * @return this builder
         */
        public Builder biosUuid(UUID uuid) {
            this.biosUuid = Objects.requireNonNull(uuid, "uuid");
            return this;
        }

        /**
         * The processor speed GETMHZ reports (default 2400).
         *
         * @param mhz the processor speed in MHz
         * @return this builder
         */
        public Builder cpuMhz(int mhz) {
            this.cpuMhz = mhz;
            return this;
        }

        /**
         * The {@code machine.id} value {@code machine.id.get} returns (default unset: {@code 0 No value found}).
         *
         * @param machineId the value, or null for unset
         * @return this builder
         */
        public Builder machineId(String machineId) {
            this.machineId = Objects.requireNonNull(machineId, "machineId");
            return this;
        }

        /**
         * The largest guest message SEND_SIZE accepts, in bytes (default 65,536,
         * {@code GUESTMSG_MAX_IN_SIZE}); larger sizes are refused with status 0.
         *
         * @param bytes the largest guest message in bytes
         * @return this builder
         */
        public Builder maxGuestMessage(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxGuestMessage must not be negative, was " + bytes);
            }
            this.maxGuestMessage = bytes;
            return this;
        }

        /**
         * Whether every call is recorded in {@link SimulatedHost#transcript()} (default on).
         *
         * @param on whether to record every call
         * @return this builder
         */
        public Builder transcript(boolean on) {
            this.transcript = on;
            return this;
        }

        /**
         * Benchmark settings: no transcript, and nothing else that costs per
         * call beyond the counters, so JMH measures the client.
         *
         * @return this builder
         */
        public Builder zeroCost() {
            this.transcript = false;
            this.paranoid = false;
            return this;
        }

        /**
         * Answer calls on dead channels with CLOSED ({@code 0x0004}) instead of 0 (CHOICE, default off).
         *
         * @param on whether to answer dead channels with CLOSED
         * @return this builder
         */
        public Builder reportClosed(boolean on) {
            this.reportClosed = on;
            return this;
        }

        /**
         * Whether MESSAGE calls set {@code ax} to 0, as hosts did for Ken Kato's
         * client (default true), or leave it unchanged, as the observed-clients
         * harness did. open-vm-tools ignores it.
         *
         * @param on whether MESSAGE calls set {@code ax} to 0
         * @return this builder
         */
        public Builder clearAxOnMessage(boolean on) {
            this.clearAxOnMessage = on;
            return this;
        }

        /**
         * Overwrite registers a guest must not rely on with garbage ({@code ax}
         * after MESSAGE calls; {@code ax}, {@code dx}, {@code bp} after
         * high-bandwidth transfers), to catch clients that read them. Default off.
         *
         * @param on whether to overwrite those registers with garbage
         * @return this builder
         */
        public Builder paranoid(boolean on) {
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
         * @param on whether frames are raw trapped registers
         * @return this builder
         */
        public Builder rawRegisters(boolean on) {
            this.rawRegisters = on;
            return this;
        }

        /**
         * {@code tools.setInfo.sizeLimit}: total bytes of guest-set guestinfo (default 1 MiB).
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder guestInfoSizeLimit(long bytes) {
            this.guestInfoSizeLimit = bytes;
            return this;
        }

        /**
         * Whether GETTIMEFULL_WITH_LAG (55) is answered (default true; false exercises the 55, 46, 23 fallback).
         *
         * @param supported whether command 55 is answered
         * @return this builder
         */
        public Builder timeWithLag(boolean supported) {
            this.timeWithLag = supported;
            return this;
        }

        /**
         * The max lag (cx of the time commands) and the interrupt lag (di of command 55), in microseconds.
         *
         * @param maxLagMicros the max lag in microseconds
         * @param interruptLagMicros the interrupt lag in microseconds
         * @return this builder
         */
        public Builder timeLag(int maxLagMicros, int interruptLagMicros) {
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
        public Builder hardwareVersion(int version) {
            this.hardwareVersion = version;
            return this;
        }

        /**
         * GETMEMSIZE's answer in MB (default 4096).
         *
         * @param megabytes the memory size in MB
         * @return this builder
         */
        public Builder memoryMb(int megabytes) {
            this.memoryMb = megabytes;
            return this;
        }

        /**
         * GETBUILDNUM's answer (default {@code 0xFFFFFFFF}, "not reported").
         *
         * @param build the build number
         * @return this builder
         */
        public Builder buildNumber(int build) {
            this.buildNumber = build;
            return this;
        }

        /**
         * The level {@code guest.log.state} reports (default {@code info}).
         *
         * @param level the level, such as {@code info}
         * @return this builder
         */
        public Builder guestLogLevel(String level) {
            this.guestLogLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * Makes cookies reproducible (default: random per call).
         *
         * @param seed the seed of the cookie generator
         * @return this builder
         */
        public Builder cookieSeed(long seed) {
            this.cookieSeed = seed;
            return this;
        }

        /**
         * The host.
         *
         * @return the host
         */
        public SimulatedHost build() {
            return new SimulatedHost(this);
        }
    }
}
