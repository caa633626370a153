package dev.vmwguest.tclo;

import dev.vmwguest.backdoor.HostTime;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciOptions;
import dev.vmwguest.rpci.RpciRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Configures a {@link TcloEvents}; obtain one with {@link TcloEvents#builder(String)}.
 * Every setting has a default; {@link #build()} reads the process's transport
 * policy unless {@link #transports} was given.
 */
public final class TcloEventsBuilder {

    private final TcloSettings settings;

    TcloEventsBuilder(String appName) {
        this.settings = new TcloSettings(appName);
    }

    /**
     * Opens the TCLO connection (and the RPCI client this instance opens)
     * through {@code selector}: vsock TCLO is pushed by the host and answered
     * at once, with a heartbeat every second; the backdoor is polled. Default:
     * {@link TransportSelector#forThisProcess()}. Tests pass
     * {@code TransportSelector.over(simulatedHost)}, which keeps the policy's semantics.
     *
     * @param selector where to connect
     * @return this builder
     */
    public TcloEventsBuilder transports(TransportSelector selector) {
        settings.transports = Objects.requireNonNull(selector, "selector");
        return this;
    }

    /**
     * Sends RPCI through {@code client}, which {@link TcloEvents#close()} does
     * not close; default: a client of its own, opened on first use.
     *
     * @param client the shared client
     * @return this builder
     */
    public TcloEventsBuilder rpci(RpciClient client) {
        settings.rpci = Objects.requireNonNull(client, "client");
        return this;
    }

    /**
     * Options of the RPCI client this instance opens (ignored with {@link #rpci}).
     *
     * @param options the client's options
     * @return this builder
     */
    public TcloEventsBuilder rpciOptions(RpciOptions options) {
        settings.rpciOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Options of the TCLO channel (checkpoint retries, sizes, bandwidth).
     *
     * @param options the channel's options
     * @return this builder
     */
    public TcloEventsBuilder channelOptions(RpcChannelOptions options) {
        settings.channelOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Poll intervals and failure back-off; default {@link TcloPolling#defaults()}.
     *
     * @param polling the intervals
     * @return this builder
     */
    public TcloEventsBuilder polling(TcloPolling polling) {
        settings.polling = Objects.requireNonNull(polling, "polling");
        return this;
    }

    /**
     * How many rejected attaches in a row (a {@code reset} followed by another
     * {@code reset} or a channel failure, with no other command between) mean
     * that another process holds the app name; default 5, vmtoolsd's limit for
     * its user service. The conflict is reported at the latest on the
     * {@code (resets + 1)}th reset.
     *
     * @param resets at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code resets} is below 1
     */
    public TcloEventsBuilder conflictResets(int resets) {
        if (resets < 1) {
            throw new IllegalArgumentException("conflictResets must be at least 1: " + resets);
        }
        settings.conflictResets = resets;
        return this;
    }

    /**
     * What to do with the guest clock; default {@link ClockAdjuster#reportOnly()}.
     *
     * @param adjuster what adjusts the guest clock
     * @return this builder
     */
    public TcloEventsBuilder clockAdjuster(ClockAdjuster adjuster) {
        settings.clockAdjuster = Objects.requireNonNull(adjuster, "adjuster");
        return this;
    }

    /**
     * The guest clock compared with the host's; default {@link Clock#systemUTC()}.
     *
     * @param clock the guest clock
     * @return this builder
     */
    public TcloEventsBuilder clock(Clock clock) {
        settings.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Told of every {@link TcloState} change, on the TCLO thread (CLOSED: on the TCLO thread as it ends,
     * or on the closing thread if it never started or does not end within the close timeout). A listener
     * that throws is logged and ignored, unless it throws a fatal JVM error.
     *
     * @param listener told of each state change
     * @return this builder
     */
    public TcloEventsBuilder listener(Consumer<TcloStateChange> listener) {
        settings.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Where state changes and handler failures are logged; default {@code System.getLogger(TcloEvents)}.
     *
     * @param logger the logger
     * @return this builder
     */
    public TcloEventsBuilder logger(System.Logger logger) {
        settings.logger = Objects.requireNonNull(logger, "logger");
        return this;
    }

    /**
     * The thread that polls; e.g. {@code Thread.ofVirtual().factory()} on Java 21.
     *
     * @param factory makes the one TCLO thread
     * @return this builder
     */
    public TcloEventsBuilder threadFactory(ThreadFactory factory) {
        settings.threadFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * How long {@link TcloEvents#close()} waits for the thread; default 5 s.
     *
     * @param timeout zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public TcloEventsBuilder closeTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        settings.closeTimeout = timeout;
        return this;
    }

    /**
     * The version sent with {@code tools.set.version}; default {@link RpciRequest.SetToolsVersion#UNMANAGED}.
     *
     * @param version the tools version number
     * @return this builder
     * @throws IllegalArgumentException if {@link RpciRequest.SetToolsVersion} rejects it
     */
    public TcloEventsBuilder toolsVersion(int version) {
        new RpciRequest.SetToolsVersion(version);   // validates
        settings.toolsVersion = version;
        return this;
    }

    /**
     * Sends {@code tools.capability.<name> } on {@code Capabilities_Register}.
     * The first call replaces the defaults ({@code statechange},
     * {@code softpowerop_retry}); see {@link #noCapabilities()}.
     *
     * @param name one word of printable ASCII
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is not one word of printable ASCII
     */
    public TcloEventsBuilder capability(String name) {
        settings.capabilityList().add(new TcloDispatcher.Capability(TcloSettings.word(name), null));
        return this;
    }

    /**
     * Sends {@code tools.capability.<name> <arguments>} on {@code Capabilities_Register};
     * see {@link #capability(String)}.
     *
     * @param name      one word of printable ASCII
     * @param arguments the capability's arguments, e.g. {@code toolbox 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is not one word of printable ASCII
     */
    public TcloEventsBuilder capability(String name, String arguments) {
        settings.capabilityList().add(new TcloDispatcher.Capability(TcloSettings.word(name),
                Objects.requireNonNull(arguments, "arguments")));
        return this;
    }

    /**
     * Sends no capability, only the tools version (the host then offers no soft power operations).
     *
     * @return this builder
     */
    public TcloEventsBuilder noCapabilities() {
        settings.capabilityList().clear();
        return this;
    }

    /**
     * Whether to send {@code vmx.capability.unified_loop <app>} after each reset; default true, as vmtoolsd.
     *
     * @param send whether to send it
     * @return this builder
     */
    public TcloEventsBuilder unifiedLoop(boolean send) {
        settings.unifiedLoop = send;
        return this;
    }

    /**
     * A new, unstarted instance; subscribe, then {@link TcloEvents#start()}.
     *
     * @return the instance
     */
    public TcloEvents build() {
        return new TcloEvents(settings);
    }

    /**
     * {@link #build()} and {@link TcloEvents#start()}.
     *
     * @return the started instance
     */
    public TcloEvents start() {
        return build().start();
    }

    /** A scripted host in tests: TCLO connections from {@code opener} instead of the selector. */
    TcloEventsBuilder connections(Supplier<RpcConnection> opener) {
        settings.connections = opener;
        return this;
    }

    /** Recorded RPCI in tests, instead of a client. */
    TcloEventsBuilder rpciSender(RpciSender sender) {
        settings.rpciSender = sender;
        return this;
    }

    TcloEventsBuilder hostClock(Supplier<Optional<HostTime>> clock) {
        settings.hostClock = clock;
        return this;
    }

    TcloEventsBuilder loopClock(LoopClock clock) {
        settings.loopClock = clock;
        return this;
    }
}
