package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import dev.vmwguest.hostsim.internal.VsockSideAccess;
import dev.vmwguest.hostsim.vsock.HostVsockStandIn;
import dev.vmwguest.hostsim.vsock.VsockOptions;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

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
 * fail the ways real hosts fail. {@link #vsock(Path)} serves the same
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
 * and replies; with the {@linkplain SimulatedHostBuilder#zeroCost() zero-cost} settings no
 * transcript is kept either, so benchmarks measure the client.
 *
 * <h2>Registers</h2>
 * As the {@link Backdoor} contract says, this implementation supplies what the
 * instruction implies: {@code ax} = magic and the port in the low half of
 * {@code dx} for every call, and for the high-bandwidth transfers the count in
 * {@code cx} from the buffer. With {@link SimulatedHostBuilder#rawRegisters(boolean)} it
 * instead takes the frame as the trapped instruction's registers (the trap
 * launcher's case) and checks the magic like a host.
 */
public final class SimulatedHost implements Backdoor {

    private final HostProfile profile;
    private final int channelLimit;
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
    private final BackdoorPorts ports;
    private final SimulatedVsockSide vsockSide;

    SimulatedHost(SimulatedHostBuilder settings) {
        this.profile = settings.profile();
        this.channelLimit = settings.effectiveChannelLimit();
        this.clock = settings.clock();
        this.transcript = new Transcript(settings.transcript());
        this.guestInfo = new GuestInfoStore(settings.guestInfoSizeLimit());
        this.tclo = new TcloQueue(faults, afterUnlock::add);
        this.rpci = new RpciEngine(settings.rpciSettings(), guestInfo, rpciHandlers, tclo, faults, counters);
        this.messages = new MessageEngine(settings.channelRules(), counters, faults, tclo, rpci,
                settings.cookieRandom());
        this.ports = new BackdoorPorts(settings, counters, transcript, messages, new HostCommands(settings.hostFacts()),
                this::clock, this::runAfterUnlock);
        this.vsockSide = new SimulatedVsockSide(this, rpci, tclo);
    }

    /**
     * A host with the defaults: ESX profile, 128 channels, cookies supported, high bandwidth offered, transcript on.
     *
     * @return a new host
     */
    public static SimulatedHost create() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults of {@link #create()}.
     *
     * @return a new builder
     */
    public static SimulatedHostBuilder builder() {
        return new SimulatedHostBuilder();
    }

    /**
     * The process-wide host that the {@code sim} provider hands out
     * ({@code -Dvmwguest.backdoor=sim}), created with {@link #create()} on first
     * use. Tests sharing it see each other's state: prefer a host of your own
     * and pass it to the code under test where you can.
     *
     * @return the shared host
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
        ports.call(frame);
    }

    @Override
    public void send(RegisterFrame frame, ByteBuffer source) {
        ports.send(frame, source);
    }

    @Override
    public void receive(RegisterFrame frame, ByteBuffer target) {
        ports.receive(frame, target);
    }

    /** {@link BackdoorMechanism#SIMULATED}. */
    @Override
    public BackdoorMechanism mechanism() {
        return BackdoorMechanism.SIMULATED;
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
     * @return this host's {@code guestinfo.*} store
     */
    public GuestInfoStore guestInfo() {
        return guestInfo;
    }

    /**
     * The lines the guest logged with RPCI {@code log <text>}, oldest first (the VM's {@code vmware.log}).
     *
     * @return a copy of the logged lines
     */
    public List<String> log() {
        return rpci.log();
    }

    /**
     * The capability names the guest registered with {@code tools.capability.<name>}, e.g. {@code statechange}.
     *
     * @return the names, without the {@code tools.capability.} prefix
     */
    public Set<String> capabilities() {
        return rpci.capabilities().keySet();
    }

    /**
     * The arguments the guest sent with capability {@code name} (empty text for the "no value" form).
     *
     * @param name the capability name, e.g. {@code statechange}
     * @return the arguments, or empty if the guest did not register {@code name}
     */
    public Optional<String> capability(String name) {
        return Optional.ofNullable(rpci.capabilities().get(name));
    }

    /**
     * New-style capabilities from {@code tools.capability.features i=v ...}, by index.
     *
     * @return a copy mapping each index to its value text
     */
    public Map<Integer, String> features() {
        return rpci.features();
    }

    /**
     * The tools version the guest reported ({@code tools.set.version} or {@code tools.set.versiontype}), as sent.
     *
     * @return the version text, or empty if none was reported
     */
    public Optional<String> toolsVersion() {
        return rpci.toolsVersion();
    }

    /**
     * The tools install type from {@code tools.set.versiontype} (4 = open-vm-tools).
     *
     * @return the install type text, or empty if none was reported
     */
    public Optional<String> toolsVersionType() {
        return rpci.toolsVersionType();
    }

    /**
     * The raw data of the latest {@code SetGuestInfo} of {@code type} (7 = uptime, 1 = DNS name ...).
     *
     * @param type the {@code SetGuestInfo} type number
     * @return a copy of the data after the type, or empty if no report of that type arrived
     */
    public Optional<byte[]> setGuestInfo(int type) {
        return rpci.setGuestInfo(type);
    }

    /**
     * What vSphere would show about the guest now, decoded from its reports: host name,
     * addresses per NIC, OS, uptime, disks, tools state, and the reports that did not decode.
     *
     * @return an immutable snapshot
     */
    public GuestView guest() {
        return rpci.guestView(tclo.attachedApps().contains("toolbox"), guestInfo.get("ip"));
    }

    /**
     * The latest {@code SetGuestDiskInfo} JSON.
     *
     * @return the JSON text, or empty if the guest sent none
     */
    public Optional<String> diskInfo() {
        return rpci.diskInfo();
    }

    /**
     * The TCLO apps the guest announced with {@code vmx.capability.unified_loop <app>}.
     *
     * @return the app names, in the order announced
     */
    public List<String> unifiedLoopApps() {
        return rpci.unifiedLoopApps();
    }

    /**
     * Other recorded reports, one line each with the command name: {@code guest.log.text},
     * {@code update.tools.health}, {@code vmbackup.eventSet}, {@code deployPkg.update.state},
     * {@code tools.os.statechange.status}.
     *
     * @return the lines, oldest first
     */
    public List<String> reports() {
        return rpci.otherReports();
    }

    /**
     * Host-side RPCI commands: add handlers of your own, deny or unknow built-in ones.
     *
     * @return this host's RPCI handlers
     */
    public RpciHandlers rpci() {
        return rpciHandlers;
    }

    /**
     * Host-to-guest TCLO commands.
     *
     * @return this host's TCLO queue
     */
    public TcloQueue tclo() {
        return tclo;
    }

    /**
     * Backdoor calls, message sub-commands and bytes moved so far.
     *
     * @return this host's live counters
     */
    public CallCounters calls() {
        return counters;
    }

    /**
     * Channels open now.
     *
     * @return the number of open channels
     */
    public int openChannels() {
        return messages.openChannels();
    }

    /**
     * The recorded calls (empty when the transcript is off).
     *
     * @return this host's transcript
     */
    public Transcript transcript() {
        return transcript;
    }

    /**
     * Starts this host's vsock side on Unix-domain sockets in {@code directory}
     * (created if missing): {@code 976.sock}, {@code 976-privileged.sock},
     * {@code 975.sock}, {@code 975-privileged.sock}, sharing this host's state.
     * See {@link HostVsockStandIn} for the contract. Close it when done.
     *
     * @param directory the directory for the socket files
     * @return the started stand-in
     * @throws java.io.UncheckedIOException if the directory or a socket file cannot be created
     *         (for example a socket file left by another stand-in)
     */
    public HostVsockStandIn vsock(Path directory) {
        return vsock(directory, VsockOptions.defaults());
    }

    /**
     * As {@link #vsock(Path)} with explicit heartbeat and packet-size settings.
     *
     * @param directory the directory for the socket files, created if missing
     * @param options   the heartbeat and packet-size settings
     * @return the started stand-in
     */
    public HostVsockStandIn vsock(Path directory, VsockOptions options) {
        return (HostVsockStandIn) VsockSideAccess.starter(HostVsockStandIn.class).start(vsockSide, directory, options);
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
     * @return this host's fault switches
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
        vsockSide.hostReset();
        runAfterUnlock();
    }

    /**
     * The host clock the time commands read from now on.
     *
     * @param clock the new clock
     * @throws NullPointerException if {@code clock} is null
     */
    public void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The host clock.
     *
     * @return the clock the time commands read
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The channel limit this host enforces.
     *
     * @return the largest number of channels open at once
     */
    public int channelLimit() {
        return channelLimit;
    }

    /**
     * The profile this host plays.
     *
     * @return the profile set at build time
     */
    public HostProfile profile() {
        return profile;
    }

    @Override
    public String toString() {
        return "SimulatedHost[" + profile + ", " + openChannels() + "/" + channelLimit
                + " channels, " + counters.total() + " calls]";
    }
}
