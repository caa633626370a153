package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.BackdoorException;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.backdoor.HostTime;
import dev.vmwguest.backdoor.ProductType;
import dev.vmwguest.hostsim.CallCounters;
import dev.vmwguest.hostsim.GuestPowerOperation;
import dev.vmwguest.hostsim.HostHighBandwidthMode;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.TranscriptEntry;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelClosedException;
import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.RpcOpenException;
import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.PrivilegedTransportUnavailableException;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.GuestInfo;
import dev.vmwguest.rpci.GuestInfoKey;
import dev.vmwguest.rpci.GuestInfoType;
import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciException;
import dev.vmwguest.rpci.RpciOptions;
import dev.vmwguest.rpci.RpciPermissionDeniedException;
import dev.vmwguest.rpci.RpciReply;
import dev.vmwguest.rpci.RpciRequest;
import dev.vmwguest.trap.TrapLauncher;
import dev.vmwguest.trap.TrapResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every Java example in {@code docs/user-guide.md} and {@code docs/testing.md},
 * compiled and run against the simulated host. The code between a
 * {@code // docs: NAME} and the next {@code // docs: end} comment is what the
 * guides show, character for character after removing the indentation;
 * {@link #everyJavaBlockOfTheGuidesIsCodeFromThisClass()} fails when a guide's
 * Java block is not such a snippet, so change both together.
 */
class DocsExamplesTest {

    /** The simulated host; in the guides, code receives it as {@code backdoor}. */
    private final SimulatedHost host = SimulatedHost.create();
    private final Backdoor backdoor = host;
    /** Where the guides' clients connect: the process's policy on exactly this host, no vsock. */
    private final TransportSelector transports = TransportSelector.over(host);

    @AfterEach
    void theExamplesCloseWhatTheyOpen() {
        assertThat(host.openChannels()).as("channels left open").isZero();
    }

    // ================================================================ user-guide.md

    @Test
    void firstContactGuestInfoAndALogLine() {
        String previous = System.getProperty(BackdoorSettings.MODE_PROPERTY);
        System.setProperty(BackdoorSettings.MODE_PROPERTY, "sim");   // the shared simulated host, by name
        try {
            // docs: user-guide first contact
            try (RpciClient rpci = RpciClient.open()) {               // finds the backdoor, opens one channel
                rpci.guestInfo().set("ip", "10.0.0.5");                // info-set guestinfo.ip 10.0.0.5
                Optional<String> ip = rpci.guestInfo().get("ip");      // Optional[10.0.0.5]
                Optional<String> role = rpci.guestInfo().get("role");  // Optional.empty: not set
                rpci.log("agent started on " + ip.orElse("?") + " as " + role.orElse("nobody"));
            }                                                         // closes the channel
            // docs: end
        } finally {
            restore(BackdoorSettings.MODE_PROPERTY, previous);
        }
        assertThat(SimulatedHost.shared().guestInfo().get("guestinfo.ip")).contains("10.0.0.5");
        assertThat(SimulatedHost.shared().log()).contains("agent started on 10.0.0.5 as nobody");
        assertThat(SimulatedHost.shared().openChannels()).isZero();
    }

    @Test
    void rawCommandsReturnAReplyOrThrow() {
        try (RpciClient rpci = RpciClient.open(transports)) {
            rpci.guestInfo().set("ip", "10.0.0.5");
            // docs: user-guide raw commands
            RpciReply reply = rpci.send("info-get guestinfo.ip");        // never throws for a "0 ..." reply
            boolean found = reply.success();                               // true: the reply was "1 10.0.0.5"
            String value = reply.text();                                   // "10.0.0.5"

            RpciReply unknown = rpci.send("no.such.command");              // success() false, text() "Unknown command"

            String same = rpci.call("info-get guestinfo.ip");              // the text, or RpciException on "0 ..."
            RpciReply typed = rpci.send(new RpciRequest.InfoGet(GuestInfoKey.of("ip"))); // one record per command
            // docs: end
            assertThat(found).isTrue();
            assertThat(value).isEqualTo("10.0.0.5");
            assertThat(unknown.success()).isFalse();
            assertThat(unknown.text()).isEqualTo("Unknown command");
            assertThat(same).isEqualTo("10.0.0.5");
            assertThat(typed.text()).isEqualTo("10.0.0.5");
        }
    }

    @Test
    void guestInfoIsTypedAndKeysAreCheckedBeforeAnythingIsSent() {
        try (RpciClient rpci = RpciClient.open(transports)) {
            long callsBefore;
            // docs: user-guide guestinfo
            GuestInfo info = rpci.guestInfo();
            info.set("config.role", "web");                                // the guestinfo. prefix is added
            Optional<String> role = info.get("guestinfo.config.role");     // with or without the prefix
            Optional<String> missing = info.get("no.such.key");            // empty, not an error

            info.setBytes("blob", new byte[] {1, 2, (byte) 0xFF});              // raw bytes: anything but NUL
            Optional<byte[]> blob = info.getBytes("blob");
            int largest = info.maxValueBytes("blob");                      // 65,536 minus "info-set guestinfo.blob "
            // docs: end
            assertThat(role).contains("web");
            assertThat(missing).isEmpty();
            assertThat(blob).hasValueSatisfying(b -> assertThat(b).isEqualTo(new byte[] {1, 2, (byte) 0xFF}));
            assertThat(largest).isEqualTo(65_536 - "info-set guestinfo.blob ".length());

            callsBefore = host.calls().total();
            AtomicReference<String> rejected = new AtomicReference<>();
            // docs: user-guide bad key
            try {
                info.set("two words", "x");                                // a space would smuggle a second argument
            } catch (IllegalArgumentException badKey) {                    // thrown before any backdoor call
                rejected.set(badKey.getMessage());                         // "... has a space (U+0020) at index 13; ..."
            }
            // docs: end
            assertThat(rejected.get()).contains("a space (U+0020) at index 13");
            assertThat(host.calls().total()).as("nothing sent for a bad key").isEqualTo(callsBefore);
        }
    }

    @Test
    void toolsCommandsReportVersionCapabilitiesAndGuestFacts() {
        try (RpciClient rpci = RpciClient.open(transports)) {
            // docs: user-guide tools
            rpci.tools().setVersion(RpciRequest.SetToolsVersion.versionOf(12, 5, 0)); // tools.set.version 12448
            rpci.tools().registerCapability("statechange");                        // soft power operations possible
            rpci.tools().reportGuestInfo(GuestInfoType.DNS_NAME, "web-01");        // shown in vSphere
            Optional<String> machineId = rpci.tools().machineId();                 // empty unless machine.id is set
            // docs: end
            assertThat(machineId).isEmpty();
        }
        assertThat(host.toolsVersion()).contains("12448");
        assertThat(host.capabilities()).contains("statechange");
        assertThat(host.setGuestInfo(GuestInfoType.DNS_NAME.code()))
                .hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("web-01"));
    }

    @Test
    void choosingATransportAndSeeingWhy() {
        String previous = System.getProperty(BackdoorSettings.MODE_PROPERTY);
        System.setProperty(BackdoorSettings.MODE_PROPERTY, "sim");   // the backdoor is the shared simulated host
        AtomicReference<TransportSelection> shown = new AtomicReference<>();
        try {
            // docs: user-guide transports
            RpciOptions options = RpciOptions.defaults().withTransport(TransportPolicy.parse("vsock,backdoor"));
            try (RpciClient rpci = RpciClient.open(options)) {
                TransportSelection selection = rpci.transportSelection().orElseThrow();
                shown.set(selection);   // "RPCI over backdoor", then one line per transport passed over
            }
            // docs: end
        } finally {
            restore(BackdoorSettings.MODE_PROPERTY, previous);
        }
        // This module's tests have no vsock provider on the path: vsock is refused as not installed.
        assertThat(shown.get().chosen()).contains(TransportKind.BACKDOOR);
        assertThat(shown.get().refusal(TransportKind.VSOCK)).get().extracting(TransportRefusal::reason)
                .isEqualTo(TransportRefusal.Reason.NOT_INSTALLED);
    }

    @Test
    void secureRpcIsPrivilegedVsockOrNothing() {
        AtomicReference<String> log = new AtomicReference<>();
        // docs: user-guide secure rpc
        RpciOptions secure = RpciOptions.defaults().withTransport(TransportPolicy.privilegedOnly());
        try (RpciClient rpci = RpciClient.open(secure)) {
            rpci.guestInfo().get("secret").ifPresent(log::set);
        } catch (PrivilegedTransportUnavailableException noPrivilege) {
            log.set(noPrivilege.getMessage());   // nothing was sent; the message says why for each transport
        }
        // docs: end
        assertThat(log.get()).startsWith("secure RPC needs a privileged vsock connection")
                .contains("vsock-privileged refused (NOT_INSTALLED)");
    }

    @Test
    void tcloOverTheTransportPolicy() throws Exception {
        // docs: user-guide tclo transport
        // The process's policy (vmwguest.transport): vsock port 975 (pushed), else polling the backdoor.
        // Production leaves .transports out; tests pass TransportSelector.over(simulatedHost).
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(transports).start();
        // docs: end
        try {
            assertThat(host.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(events.transportSelection()).get().extracting(TransportSelection::chosen)
                    .isEqualTo(Optional.of(TransportKind.BACKDOOR));
        } finally {
            events.close();
        }
    }

    @Test
    void answeringPowerOperationsAsTheGuestTools() throws Exception {
        List<PowerState> requested = new CopyOnWriteArrayList<>();
        // docs: user-guide tclo
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(transports).build();
        events.subscribe(TcloCommand.PowerOperation.class, op -> {
            if (op.state() == PowerState.REBOOT) {
                throw new IllegalStateException("updates are installing");   // the host gets "ERROR updates are installing"
            }
            requested.add(op.state());                                       // the application decides what to do
            return TcloReply.ok();
        });
        events.start();                                                      // subscribe first, then start
        // docs: end
        try {
            assertThat(host.tclo().powerOperation(GuestPowerOperation.HALT).get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(host.tclo().powerOperation(GuestPowerOperation.REBOOT).get(20, TimeUnit.SECONDS)).isFalse();
            assertThat(host.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
        } finally {
            events.close();
        }
        assertThat(requested).containsExactly(PowerState.HALT);
        assertThat(host.reports()).filteredOn(r -> r.startsWith("tools.os.statechange.status")).hasSize(2);
        assertThat(host.tclo().history()).filteredOn(e -> e.command().equals("OS_Reboot")).singleElement()
                .satisfies(e -> assertThat(e.reply()).contains("ERROR updates are installing"));
    }

    /** Stands in for an application with a graceful shutdown. */
    final class App {
        final List<String> steps = new CopyOnWriteArrayList<>();

        void refuseNewWork() {
            steps.add("refuse new work; host reports so far " + statusReports());
        }

        void shutdownGracefully() {
            steps.add("shut down; host reports so far " + statusReports());
        }

        long statusReports() {
            return host.reports().stream().filter(r -> r.startsWith("tools.os.statechange.status")).count();
        }
    }

    @Test
    void aGracefulShutdownStartsAfterTheHostHasTheStatus() throws Exception {
        App app = new App();
        // docs: user-guide tclo shutdown
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(transports).build();
        events.onPowerOperation(PowerState.HALT, new PowerOperationHandler() {
            @Override
            public void prepare(PowerState state) {
                app.refuseNewWork();          // before the host is told; throw to refuse the halt
            }

            @Override
            public void perform(PowerState state) {
                app.shutdownGracefully();     // after the host has "tools.os.statechange.status 1 1"
            }
        });
        events.start();
        // docs: end
        try {
            assertThat(host.tclo().powerOperation(GuestPowerOperation.HALT).get(20, TimeUnit.SECONDS)).isTrue();
            await(() -> app.steps.size() == 2);
        } finally {
            events.close();
        }
        assertThat(app.steps).containsExactly("refuse new work; host reports so far 0",
                "shut down; host reports so far 1");
        assertThat(host.tclo().history()).filteredOn(e -> e.command().equals("OS_Halt")).singleElement()
                .satisfies(e -> assertThat(e.reply()).contains("OK "));
    }

    @Test
    void subscribingByNameWatchingStateAndTheTimeSyncPolicy() throws Exception {
        List<TcloStateChange> changes = new CopyOnWriteArrayList<>();
        AtomicReference<TimeSyncPolicy> latest = new AtomicReference<>();
        List<String> audit = new CopyOnWriteArrayList<>();
        // docs: user-guide tclo more
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(transports)
                .listener(changes::add)                                   // NEW, CONNECTING, ATTACHED, ...
                .clockAdjuster(adjustment -> System.out.println("guest clock is off by " + adjustment.offset()))
                .build();
        events.subscribe("deployPkg.begin", command -> TcloReply.ok("/tmp/deploy"));   // by exact wire name
        events.onTimeSyncPolicy(latest::set);                             // after each time-sync Set_Option
        events.observe((command, reply) -> audit.add(command.commandName() + " -> " + reply));   // every answer
        events.start();
        // docs: end
        try {
            assertThat(host.tclo().send("deployPkg.begin").get(20, TimeUnit.SECONDS)).isEqualTo("OK /tmp/deploy");
            assertThat(host.tclo().send("Set_Option synctime 1").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(events.timeSyncPolicy().syncTime()).isTrue();
            assertThat(latest.get()).isNotNull().extracting(TimeSyncPolicy::syncTime).isEqualTo(true);
            assertThat(audit).contains("deployPkg.begin -> OK /tmp/deploy", "Set_Option -> OK ");
        } finally {
            // docs: user-guide tclo close
            events.close();                                               // closes its channels, joins its thread
            // docs: end
        }
        assertThat(events.state()).isEqualTo(TcloState.CLOSED);
        assertThat(changes).extracting(TcloStateChange::current)
                .containsSubsequence(TcloState.CONNECTING, TcloState.ATTACHED, TcloState.CLOSED);
    }

    @Test
    void hostInfoReadsVersionTimeUuidAndSpeed() {
        SimulatedHost esx = SimulatedHost.builder()
                .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC))
                .biosUuid(UUID.fromString("564d0a1b-2c3d-4e5f-8a9b-0c1d2e3f4a5b"))
                .build();
        Backdoor backdoor = esx;
        // docs: user-guide host info
        HostInfo info = HostInfo.query(backdoor);                          // 4 to 6 backdoor calls
        ProductType product = info.version().productType();               // ESX, WORKSTATION, ...
        Optional<Instant> hostTime = info.time().map(HostTime::time);     // the host's UTC clock
        Optional<UUID> biosUuid = info.biosUuid();                        // uuid.bios of the VM
        // docs: end
        assertThat(product).isEqualTo(ProductType.ESX);
        assertThat(hostTime).contains(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(biosUuid).contains(UUID.fromString("564d0a1b-2c3d-4e5f-8a9b-0c1d2e3f4a5b"));
        assertThat(info.cpuMhz()).hasValue(2_400);
    }

    @Test
    void detectionNeverTouchesAPortAndAutoNeverPicksTheSimulator() {
        assumeTrue(System.getenv(BackdoorSettings.MODE_ENV) == null, "VMWGUEST_BACKDOOR is set in this environment");
        assertThat(System.getProperty(BackdoorSettings.MODE_PROPERTY)).isNull();
        AtomicReference<BackdoorUnavailableException.Reason> why = new AtomicReference<>();
        // docs: user-guide detection
        BackdoorDetection seen = Backdoors.detect();                      // CPUID only: safe on any machine
        System.out.println(seen.usable() + ": " + seen.reason());
        try {
            Backdoor backdoor = Backdoors.open();                         // auto: the native stub, never the simulator
            System.out.println("backdoor via " + backdoor.mechanism());   // IO_PORT, VMCALL, VMMCALL, ARM64
        } catch (BackdoorUnavailableException notHere) {
            why.set(notHere.reason());                                    // NOT_VMWARE, NO_PROVIDER, ...
            System.out.println("no VMware backdoor: " + notHere.getMessage());
        }
        // docs: end
        assertThat(seen.reason()).isNotBlank();
        // This test path has the simulator's provider but not the native one: auto must refuse rather than pick sim.
        assertThat(why.get()).isEqualTo(BackdoorUnavailableException.Reason.NO_PROVIDER);

        // docs: user-guide select sim
        Backdoor simulated = Backdoors.open(new BackdoorSettings(BackdoorSettings.Mode.SIM, false, false));
        // docs: end
        assertThat(simulated.mechanism()).isEqualTo(BackdoorMechanism.SIMULATED);
        assertThat(simulated).isSameAs(SimulatedHost.shared());
    }

    @Test
    void failureRepliesAndChannelFailuresAreTypedExceptions() {
        host.rpci().deny("machine.id.get", true);     // as guest_rpc.rpci.auth.cmd.machine.id.get = "TRUE" would
        try (RpciClient rpci = RpciClient.open(transports)) {
            // docs: user-guide failure replies
            try {
                rpci.call("no.such.command");
            } catch (RpciException refused) {                  // the host answered "0 <reason>"
                System.out.println(refused.command() + ": " + refused.reason()
                        + (refused.isUnknownCommand() ? " (older host?)" : ""));
            }
            // docs: end
            assertThatThrownBy(() -> rpci.call("no.such.command")).isInstanceOfSatisfying(RpciException.class,
                    e -> assertThat(e.isUnknownCommand()).isTrue());
            assertThatThrownBy(() -> rpci.tools().machineId()).isInstanceOf(RpciPermissionDeniedException.class);

            host.faults().closeChannelOn(MessageType.RECEIVE_SIZE);   // the host drops the channel after taking the line
            // docs: user-guide channel failures
            try {
                rpci.log("backup finished");                  // a log line is never sent twice
            } catch (RpcException failed) {                   // the channel failed after the host may have acted
                if (failed.isRetryable()) {
                    System.out.println("try again later: " + failed.getMessage());
                }
            }
            // docs: end
            host.faults().closeChannelOn(MessageType.RECEIVE_SIZE);
            assertThatThrownBy(() -> rpci.log("again")).isInstanceOfSatisfying(RpcChannelClosedException.class,
                    e -> assertThat(e.isRetryable()).isTrue());
            host.faults().closeChannelOn(MessageType.RECEIVE_SIZE);
            rpci.guestInfo().set("ip", "10.0.0.5");          // idempotent: reopened and resent, no exception
            assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");
        }
        assertThat(host.log()).containsExactly("backup finished", "again");

        host.faults().refuseOpens(true);
        assertThatThrownBy(() -> RpciClient.open(transports)).isInstanceOfSatisfying(RpcOpenException.class,
                e -> assertThat(e.isRetryable()).isTrue());
        // one root for everything the library throws about the host
        assertThat(List.of(RpcOpenException.class, RpciException.class, TcloException.class,
                BackdoorUnavailableException.class)).allMatch(BackdoorException.class::isAssignableFrom);
    }

    @Test
    void oneClientServesEveryThread() throws Exception {
        // docs: user-guide threads
        try (RpciClient rpci = RpciClient.open(transports)) {             // one client for the whole application
            ExecutorService workers = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String key = "worker." + i;
                done.add(workers.submit(() -> rpci.guestInfo().set(key, "ready")));
            }
            for (Future<?> each : done) {
                each.get();                                               // rethrows a worker's failure
            }
            workers.shutdown();
        }
        // docs: end
        for (int i = 0; i < 16; i++) {
            assertThat(host.guestInfo().get("worker." + i)).contains("ready");
        }
        assertThat(host.calls().opens()).as("one channel, under a lock").isEqualTo(1);
    }

    @Test
    void theModuleNamesAreTheOnesTheGuideLists() {
        assertThat(Backdoor.class.getModule().getName()).isEqualTo("dev.vmwguest.backdoor");
        assertThat(RpcChannel.class.getModule().getName()).isEqualTo("dev.vmwguest.rpc");
        assertThat(RpciClient.class.getModule().getName()).isEqualTo("dev.vmwguest.rpci");
        assertThat(TcloEvents.class.getModule().getName()).isEqualTo("dev.vmwguest.tclo");
        assertThat(SimulatedHost.class.getModule().getName()).isEqualTo("dev.vmwguest.hostsim");
    }

    // ================================================================ testing.md

    /** The application code under test in testing.md: it is given where to connect, so tests can pass a simulated host. */
    // docs: testing agent
    static final class InventoryAgent {

        private final TransportSelector transports;

        InventoryAgent(TransportSelector transports) {    // production: new InventoryAgent(TransportSelector.forThisProcess())
            this.transports = transports;
        }

        void publish() {
            try (RpciClient rpci = RpciClient.open(transports)) {
                rpci.log("inventory agent started");
                String role = rpci.guestInfo().get("role").orElse("unknown");
                rpci.guestInfo().set("agent.hostname", role + "-01");
            }
        }
    }
    // docs: end

    // docs: testing agent test
    @Test
    void publishesTheHostNameAsGuestInfo() {
        SimulatedHost host = SimulatedHost.create();
        host.guestInfo().put("role", "web");                 // as guestinfo.role = "web" in the .vmx would

        new InventoryAgent(TransportSelector.over(host)).publish();   // the policy, on exactly this host

        assertThat(host.guestInfo().get("agent.hostname")).contains("web-01");
        assertThat(host.log()).containsExactly("inventory agent started");
        assertThat(host.openChannels()).isZero();            // it closed what it opened
        assertThat(host.calls().violations()).isZero();      // and followed the protocol
    }
    // docs: end

    @Test
    void survivesTheFaultsARealHostProduces() {
        // docs: testing faults
        host.faults().checkpointOnce(MessageType.RECEIVE_STATUS);   // a snapshot in the middle of a message

        new InventoryAgent(TransportSelector.over(host)).publish();

        assertThat(host.faults().pending()).isEmpty();              // the checkpoint did happen
        assertThat(host.calls().checkpointsServed()).isEqualTo(1);
        assertThat(host.guestInfo().get("agent.hostname")).contains("unknown-01");
        // docs: end
    }

    @Test
    void aHostResetIsInvisibleToIdempotentCommands() {
        // docs: testing reset
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            rpci.guestInfo().set("ip", "10.0.0.5");
            host.resetHost();                                       // resume or vMotion: every channel is gone
            assertThat(rpci.guestInfo().get("ip")).contains("10.0.0.5");   // reopened, sent once more
        }
        assertThat(host.calls().opens()).isEqualTo(2);
        // docs: end
    }

    @Test
    void backdoorCallsAreCountedExactly() {
        host.guestInfo().put("ip", "10.0.0.5");
        // docs: testing counting
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            CallCounters.Snapshot before = host.calls().snapshot();
            rpci.guestInfo().get("ip");
            CallCounters.Snapshot after = host.calls().snapshot();

            // SENDSIZE, HB out, RECVSIZE, HB in, RECVSTATUS: each one a VM exit on real hardware
            assertThat(after.total() - before.total()).isEqualTo(5);
            assertThat(after.highBandwidthOut() - before.highBandwidthOut()).isEqualTo(1);
        }
        assertThat(host.calls().total()).isEqualTo(7);       // with the OPEN and the CLOSE
        // docs: end
    }

    @Test
    void theLowBandwidthPathCostsOneCallPerFourBytes() {
        // docs: testing low bandwidth
        SimulatedHost lbOnly = SimulatedHost.builder().highBandwidth(HostHighBandwidthMode.LOW_BANDWIDTH_ONLY).build();
        lbOnly.guestInfo().put("ip", "10.0.0.5");
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(lbOnly))) {
            long before = lbOnly.calls().total();
            rpci.guestInfo().get("ip");                  // "info-get guestinfo.ip" (21 bytes), reply "1 10.0.0.5" (10)
            assertThat(lbOnly.calls().total() - before).isEqualTo(3 + 6 + 3);   // 3 + ceil(21/4) + ceil(10/4)
        }
        // docs: end
    }

    @Test
    void theTranscriptShowsEveryCall() {
        // docs: testing transcript
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            host.transcript().clear();
            rpci.log("hello");
        }
        List<TranscriptEntry> calls = host.transcript().entries();
        assertThat(calls).extracting(TranscriptEntry::note).first().asString()
                .startsWith("MESSAGE SEND_SIZE");
        assertThat(calls).filteredOn(e -> e.kind() == TranscriptEntry.Kind.HIGH_BANDWIDTH_OUT)
                .singleElement().extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
                .isEqualTo("log hello");
        System.out.println(host.transcript().format());   // registers in and out, one block per call
        // docs: end
        assertThat(calls).hasSize(6);                       // the 5 of the round trip, then CLOSE
    }

    @Test
    void aCommandOfYourOwnOnTheHost() {
        // docs: testing handler
        host.rpci().handle("acme.license.get", args -> RpciResult.ok("trial"));
        host.rpci().deny("info-get", true);                 // as the VM option guest_rpc.rpci.auth.cmd.info-get

        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            assertThat(rpci.call("acme.license.get")).isEqualTo("trial");
            assertThatThrownBy(() -> rpci.guestInfo().get("ip"))
                    .isInstanceOf(RpciPermissionDeniedException.class);
        }
        // docs: end
        assertThat(host.calls().rpci("acme.license.get")).isEqualTo(1);
    }

    @Test
    void theHostDrivesTclo() throws Exception {
        // docs: testing tclo
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(transports).start()) {
            assertThat(host.tclo().send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(host.tclo().send("Capabilities_Register").get(20, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(host.capabilities()).contains("statechange", "softpowerop_retry");
            assertThat(host.tclo().send("No_Such_Command").get(20, TimeUnit.SECONDS))
                    .isEqualTo("ERROR Unknown Command");
            assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
        }
        // docs: end
    }

    @Test
    void aSecondGuestToolsIsReportedAsAConflict() {
        List<TcloStateChange> changes = new CopyOnWriteArrayList<>();
        // docs: testing conflict
        host.faults().appNameTaken(true);                    // as when vmtoolsd already answers as "toolbox"
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(transports)
                .listener(changes::add).start()) {
            await(() -> events.state() == TcloState.CONFLICT);
        }
        assertThat(changes).filteredOn(c -> c.current() == TcloState.CONFLICT).singleElement()
                .satisfies(c -> assertThat(c.cause()).containsInstanceOf(TcloAppConflictException.class));
        // docs: end
    }

    @Test
    void anUnmodifiedProgramUnderTheTrapLauncher() {
        assumeTrue(TrapLauncher.isSupported(), () -> "trap launcher: " + TrapLauncher.unsupportedReason().orElse("?"));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/vmware-rpctool")), "vmware-rpctool (open-vm-tools) not installed");
        // docs: testing trap
        SimulatedHost host = SimulatedHost.create();
        TrapResult<SimulatedHost> run = TrapLauncher.run(host, List.of("vmware-rpctool", "info-set guestinfo.k v"));
        // docs: end
        assumeFalse(run.stderr().contains("must be run inside a virtual machine"),
                "vmware-rpctool saw this machine's own hypervisor signature (no cpuid_fault, no objdump)");
        // docs: testing trap asserts
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(host.guestInfo().get("k")).contains("v");
        assertThat(run.trappedCalls()).isEqualTo(host.calls().total());   // every access answered by the host
        // docs: end
        assertThat(run.hostErrors()).isEmpty();
        assertThat(run.trappedCalls()).as("2 GETVERSION, OPEN, 5-call round trip, CLOSE").isEqualTo(9);

        // docs: testing run under trap
        TrapResult<SimulatedHost> logged = TrapLauncher.run(host, List.of("vmware-rpctool", "log hello from rpctool"));
        assertThat(logged.exitCode()).isZero();
        assertThat(host.log()).contains("hello from rpctool");
        // docs: end
        System.out.println("vmware-rpctool info-set: " + run.trappedCalls() + " backdoor calls; cpuid faulting "
                + run.cpuidFaulting() + ", cpuid breakpoints " + run.cpuidBreakpoints());
    }

    // ================================================================ the guides and this class stay in step

    @Test
    void everyJavaBlockOfTheGuidesIsCodeFromThisClass() throws Exception {
        Path source = Path.of("src/test/java/dev/vmwguest/tclo/DocsExamplesTest.java");
        Path docs = Path.of("..", "docs");
        assumeTrue(Files.isRegularFile(source) && Files.isDirectory(docs), "not run from the tclo module directory");
        List<String> snippets = snippets(Files.readAllLines(source));
        for (String guide : List.of("user-guide.md", "testing.md", "comparison.md")) {
            // the Appliance chapter's examples use the agent module; its ApplianceDocsTest checks them
            String text = Files.readString(docs.resolve(guide))
                    .replaceAll("(?ms)^## \\d+\\. Appliance$.*?(?=^## |\\z)", "");
            Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(text);
            while (block.find()) {
                assertThat(snippets).as("a java block of docs/%s that is not between docs: markers here", guide)
                        .contains(block.group(1).stripTrailing());
            }
        }
    }

    /** The code between each {@code // docs: NAME} and {@code // docs: end} line, with the common indentation removed. */
    private static List<String> snippets(List<String> lines) {
        List<String> snippets = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            String marker = line.strip();
            if (marker.equals("// docs: end")) {
                int indent = current.stream().filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
                snippets.add(current.stream().map(l -> l.isBlank() ? "" : l.substring(indent))
                        .collect(Collectors.joining("\n")).stripTrailing());
                current = null;
            } else if (marker.startsWith("// docs: ")) {
                current = new ArrayList<>();
            } else if (current != null) {
                current.add(line);
            }
        }
        return snippets;
    }

    // ================================================================ helpers

    /** Polls {@code condition} for up to 20 seconds. */
    // docs: testing await
    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within 20 s").isNegative();
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
    // docs: end

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
