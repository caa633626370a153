package dev.vmwguest.agent;

import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloPolling;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes this VM look to vSphere as if VMware Tools ran in it: host name, IP addresses, OS, tools
 * status, graceful power operations. For appliances and minimal images without open-vm-tools; it
 * answers TCLO as {@code toolbox}, so never run it where vmtoolsd runs.
 *
 * <pre>{@code
 * try (GuestAgent agent = GuestAgent.builder().onHalt(app::shutdown).start()) {
 *     app.awaitTermination();
 * }
 * }</pre>
 *
 * <p><b>What it claims.</b> On {@code Capabilities_Register} it sends the uptime (type 7, as vmtoolsd
 * does before its reply), the capabilities {@code statechange} and {@code softpowerop_retry} (soft
 * power operations) and {@code tools.set.version 2147483647}: "unmanaged" tools, which vSphere shows
 * as {@code guestToolsUnmanaged}, as govmomi's toolbox and talos-vmtoolsd do. It does not claim a
 * VMware Tools version or an install type (it is neither), nor HGFS, drag and drop, or guest operations,
 * which it does not implement. It sends no build number (type 4) unless one is configured.
 *
 * <p><b>What it reports, and when.</b> The facts of {@link GuestFacts}, read through
 * {@link FactSources}, encoded byte for byte as vmtoolsd 12.2 encodes them, in vmtoolsd's order and
 * with its fallbacks (NIC info 10, 9, 9 V2, 2; OS detailed 11, else 5 and 6; disks JSON, else
 * type 3). Unlike vmtoolsd, which waits for its next 30 s tick, it sends everything at once after
 * each TCLO {@code reset} (every attach, resume, vMotion); then every {@link AgentSettings#interval()} it sends only what
 * changed (the uptime always changes, as with vmtoolsd). {@code Set_Option broadcastIP 1} is
 * answered with {@code info-set guestinfo.ip <primary address>} before the reply.
 *
 * <p><b>Power operations.</b> With {@link Builder#onHalt}/{@link Builder#onReboot} the host is
 * answered {@code OK} and told the operation succeeded first; then the application's shutdown runs
 * on a thread of its own. Suspend and resume hooks run before the reply and decide it.
 *
 * <p><b>Connections.</b> By default the agent connects by the process's transport policy
 * ({@link TransportSelector#forThisProcess()}); tests inject a simulated host with
 * {@link Builder#transports}, e.g. {@code TransportSelector.over(host)}, which keeps the policy's semantics.
 *
 * <p><b>Cost.</b> TCLO is polled 10 ms after a command, backing off to 1 s when idle (vmtoolsd
 * backs off to 100 ms); see {@link Builder#polling}. Failures of a gather or a report are logged
 * (logger {@code dev.vmwguest.agent.GuestAgent}) and retried at the next interval.
 */
public final class GuestAgent implements AutoCloseable {

    /** The agent's default TCLO polling: vmtoolsd's, except that idle polls back off to 1 s. */
    public static final TcloPolling DEFAULT_POLLING = TcloPolling.defaults()
            .withIdleDelays(Duration.ofMillis(10), Duration.ofSeconds(1));

    private final HostLink link;
    private final ReportLoop loop;

    private GuestAgent(Builder b) {
        TransportSelector transports = b.transports != null ? b.transports : TransportSelector.forThisProcess();
        this.link = HostLink.open(transports, b.appName, b.polling, b.logger);
        this.loop = new ReportLoop(b.sources, b.settings, new FactReporter(link::send, b.buildNumber), b.logger);
        new TcloWiring(link, b.sources, b.settings, b.hooks, b.logger, loop::reportSoon).wire();
    }

    /**
     * A builder for an agent that connects by the process's transport policy unless
     * {@link Builder#transports} says otherwise.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Gathers the facts once and sends them all, without TCLO (for {@code vmwguest agent --once}).
     *
     * @param transports where to connect, e.g. {@link TransportSelector#forThisProcess()}
     * @param sources  where to read the facts
     * @param settings NIC filters; the interval is not used
     * @return the facts sent
     * @throws IOException if a fact source fails
     */
    public static GuestFacts reportOnce(TransportSelector transports, FactSources sources, AgentSettings settings)
            throws IOException {
        GuestFacts facts = GuestFacts.gather(sources, settings);
        try (RpciClient rpci = HostLink.rpciOnly(transports)) {
            new FactReporter(rpci::sendBytes, null).report(facts, settings.reportDisks());
            rpci.sendBytes(GuestInfoMessages.broadcastIp(facts.primaryIp()));
        }
        return facts;
    }

    private GuestAgent startInternal() {
        loop.start();
        link.events().start();
        return this;
    }

    /** One report cycle now, on the caller's thread (tests); {@code fresh} as after a reset. */
    void report(boolean fresh) {
        loop.report(fresh);
    }

    /**
     * The TCLO side, for applications that subscribe further commands.
     *
     * @return the running TCLO events
     */
    public TcloEvents events() {
        return link.events();
    }

    /** Stops reporting and polling and closes the connections. Idempotent. */
    @Override
    public void close() {
        loop.close();
        link.close();
    }

    /** Configures a {@link GuestAgent}. */
    public static final class Builder {

        private @Nullable TransportSelector transports;
        private FactSources sources = FactSources.system();
        private AgentSettings settings = AgentSettings.defaults();
        private PowerHooks hooks = PowerHooks.none();
        private TcloPolling polling = DEFAULT_POLLING;
        private String appName = TcloEvents.TOOLBOX;
        private System.Logger logger = System.getLogger(GuestAgent.class.getName());
        private @Nullable String buildNumber;

        private Builder() {
        }

        /**
         * Where to connect (RPCI and TCLO); default {@link TransportSelector#forThisProcess()}, the
         * process's policy. Tests pass {@code TransportSelector.over(simulatedHost)}.
         *
         * @param selector where to connect
         * @return this
         */
        public Builder transports(TransportSelector selector) {
            this.transports = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /**
         * Where facts come from; default {@link FactSources#system()}.
         *
         * @param value the sources
         * @return this
         */
        public Builder sources(FactSources value) {
            this.sources = Objects.requireNonNull(value, "sources");
            return this;
        }

        /**
         * Interval and NIC filters; default {@link AgentSettings#defaults()} (vmtoolsd's).
         *
         * @param value the settings
         * @return this
         */
        public Builder settings(AgentSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /**
         * The application's shutdown, run after the host was told the halt succeeded.
         *
         * @param shutdown the hook
         * @return this
         */
        public Builder onHalt(Runnable shutdown) {
            hooks = new PowerHooks(Objects.requireNonNull(shutdown), hooks.reboot(), hooks.suspend(), hooks.resume());
            return this;
        }

        /**
         * The application's reboot, run after the host was told the reboot succeeded.
         *
         * @param reboot the hook
         * @return this
         */
        public Builder onReboot(Runnable reboot) {
            hooks = new PowerHooks(hooks.halt(), Objects.requireNonNull(reboot), hooks.suspend(), hooks.resume());
            return this;
        }

        /**
         * Runs before the VM is suspended; its result is the reply.
         *
         * @param hook the hook
         * @return this
         */
        public Builder onSuspend(PowerHooks.PowerHook hook) {
            hooks = new PowerHooks(hooks.halt(), hooks.reboot(), Objects.requireNonNull(hook), hooks.resume());
            return this;
        }

        /**
         * Runs after the VM resumed; its result is the reply.
         *
         * @param hook the hook
         * @return this
         */
        public Builder onResume(PowerHooks.PowerHook hook) {
            hooks = new PowerHooks(hooks.halt(), hooks.reboot(), hooks.suspend(), Objects.requireNonNull(hook));
            return this;
        }

        /**
         * TCLO polling; default {@link #DEFAULT_POLLING}.
         *
         * @param value the polling settings
         * @return this
         */
        public Builder polling(TcloPolling value) {
            this.polling = Objects.requireNonNull(value, "polling");
            return this;
        }

        /**
         * The TCLO app name; default {@link TcloEvents#TOOLBOX}, the one vSphere watches.
         *
         * @param value one word of printable ASCII
         * @return this
         */
        public Builder appName(String value) {
            this.appName = Objects.requireNonNull(value, "appName");
            return this;
        }

        /**
         * A build number to send as type 4, e.g. {@code build-1}; default none.
         *
         * @param value the text
         * @return this
         */
        public Builder buildNumber(String value) {
            this.buildNumber = Objects.requireNonNull(value, "buildNumber");
            return this;
        }

        /**
         * Where failures are logged.
         *
         * @param value the logger
         * @return this
         */
        public Builder logger(System.Logger value) {
            this.logger = Objects.requireNonNull(value, "logger");
            return this;
        }

        /**
         * Builds and starts the agent: TCLO polling and the report timer.
         *
         * @return the running agent; close it to stop
         */
        public GuestAgent start() {
            return new GuestAgent(this).startInternal();
        }
    }
}
