package dev.vmwguest.tclo;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.HostTime;
import dev.vmwguest.backdoor.RegisterFrame;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciOptions;
import dev.vmwguest.rpci.RpciRequest;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Receives the host's commands (shut down, reboot, time sync, capabilities
 * refresh...) and answers them: this application acts as the VM's guest
 * tools for one TCLO app name.
 *
 * <pre>{@code
 * try (TcloEvents events = TcloEvents.builder(backdoor, TcloEvents.TOOLBOX).build()) {
 *     events.subscribe(TcloCommand.PowerOperation.class, op -> {
 *         System.out.println("host asks for " + op.state());   // the application decides what to do
 *         return TcloReply.ok();
 *     });
 *     events.start();
 *     // ... run the application ...
 * }
 * }</pre>
 *
 * <p><b>Should this application be the guest tools?</b> The host gives each
 * app name to one process. {@code toolbox} is VMware Tools' ({@code vmtoolsd});
 * if it runs, answering as {@code toolbox} fights it and both see only
 * resets. Use TCLO with {@link #TOOLBOX} on appliances and minimal images that
 * ship no open-vm-tools, where this application has to answer power
 * operations and pings; where VMware Tools runs, use only RPCI
 * ({@link RpciClient}) to read and write guest variables. A conflict is
 * detected (the host answers {@code conflictResets} attaches in a row with
 * nothing but resets or a failing channel), reported as
 * {@link TcloState#CONFLICT} with a {@link TcloAppConflictException}, and
 * polling stops.
 *
 * <p><b>What the library answers itself</b> unless a handler is subscribed:
 * {@code reset} with {@code OK ATR <app>} (and, as vmtoolsd, the RPCI
 * {@code vmx.capability.unified_loop <app>}); {@code ping} with {@code OK };
 * {@code Capabilities_Register} by sending the configured capabilities
 * (default {@code statechange} and {@code softpowerop_retry}) and
 * {@code tools.set.version} over RPCI, then {@code OK }; {@code Set_Option}
 * with {@code OK }; {@code Time_Synchronize} through the
 * {@link ClockAdjuster} ({@code ERROR Unknown Command} with the default
 * report-only adjuster, as VMware Tools without time sync); power operations
 * with {@code OK } (power-on, resume, suspend) or an {@code ERROR} (halt,
 * reboot: the library never halts or reboots the machine; see
 * {@link #onPowerOperation}); everything else with {@code ERROR Unknown Command}.
 * Always, whoever answers: time-sync options update {@link #timeSyncPolicy()}
 * and drive time sync as VMware Tools does, and each power operation's
 * outcome is reported with {@code tools.os.statechange.status} once the
 * application has decided, before its action runs.
 *
 * <p><b>Transports.</b> On the backdoor (the default for a builder given a
 * {@link Backdoor}) the host cannot push, so this instance polls. With
 * {@link Builder#transportPolicy} allowing vsock, TCLO goes over vsock port
 * 975 instead: the host pushes commands, replies go back at once, and a
 * heartbeat is sent every second after the first reply; when vsock cannot be
 * had the policy falls back to polling the backdoor.
 * {@link #transportSelection()} says which and why.
 *
 * <p><b>Cost.</b> An idle poll is 2 backdoor calls (empty send, receive);
 * a command and its reply 5 with high bandwidth. Polling follows
 * {@link TcloPolling}: at once after a command, then 10, 20, 40, 80 and 100 ms
 * while the host is active, and once a second (2 calls a second) after 10 s
 * without a command; {@link TcloPolling#vmwareTools()} stays at 100 ms.
 *
 * <p><b>Failures.</b> A channel failure (host close, host reset, checkpoints
 * beyond the channel's bound) drops the owed reply, closes the channel and
 * reopens it after 1 s, backing off on repeated failures; the host
 * then sends {@code reset} again. Every state change is reported once to the
 * {@linkplain Builder#listener listener} and logged once (logger
 * {@code dev.vmwguest.tclo.TcloEvents}), never once per poll.
 *
 * <p><b>Callbacks.</b> Nothing a handler, observer, listener or adjuster
 * throws stops the loop (the host gets {@code ERROR} where a reply is owed;
 * the failure is logged once with its stack trace), except an
 * {@link InternalError} or {@link UnknownError}: then {@link #state()} is
 * {@link TcloState#FAILED} with it as the cause. The loop's thread never ends
 * without a final state.
 *
 * <p><b>Threads.</b> Polling and every handler run on one thread of its own
 * (a daemon platform thread on Java 17, a virtual thread where the JDK has
 * them, or one from {@link Builder#threadFactory}). Subscriptions may change
 * from any thread at any time.
 */
public final class TcloEvents implements AutoCloseable {

    /** VMware Tools' main service app name. Use it only where vmtoolsd does not run. */
    public static final String TOOLBOX = "toolbox";

    private final String appName;
    private final TcloDispatcher dispatcher;
    private final TimeSync timeSync;
    private final ToolsRpc tools;
    private final TcloLoop loop;
    private final Consumer<TcloStateChange> listener;
    private final System.Logger logger;
    private final Callbacks callbacks;
    private final ThreadFactory threadFactory;
    private final Duration closeTimeout;
    private volatile TcloState state = TcloState.NEW;
    private volatile @Nullable TransportSelection selection;
    private volatile boolean stopping;
    private @Nullable Thread thread;
    private boolean closeCalled;

    private TcloEvents(Builder builder) {
        this.appName = builder.appName;
        this.listener = builder.listener;
        this.logger = builder.logger;
        this.threadFactory = builder.threadFactory != null ? builder.threadFactory : defaultThreadFactory(appName);
        this.closeTimeout = builder.closeTimeout;
        TransportSelector transports = builder.transports;
        RpciOptions rpciOptions = builder.rpciOptions;
        Backdoor backdoor = builder.backdoor;
        this.tools = builder.tools != null ? builder.tools
                : ToolsRpc.over(builder.rpci, () -> transports != null ? RpciClient.open(transports, rpciOptions)
                        : RpciClient.open(TransportSelector.over(backdoor), rpciOptions));
        Supplier<Optional<HostTime>> hostClock = builder.hostClock != null ? builder.hostClock
                : hostClock(builder.backdoor);
        this.callbacks = new Callbacks(logger);
        this.timeSync = new TimeSync(hostClock, builder.clock, builder.clockAdjuster, callbacks);
        this.dispatcher = new TcloDispatcher(appName, tools, timeSync,
                builder.capabilities != null ? builder.capabilities : defaultCapabilities(), builder.toolsVersion,
                builder.unifiedLoop, logger, callbacks);
        TcloTransport.Opener opener = builder.opener != null ? builder.opener
                : transports != null ? TcloTransport.selected(transports, builder.channelOptions, s -> selection = s)
                : TcloTransport.channels(builder.backdoor, builder.channelOptions);
        this.loop = new TcloLoop(this, opener, dispatcher, timeSync, tools, builder.polling, builder.conflictResets,
                builder.loopClock);
    }

    /**
     * A builder for TCLO app {@code appName} on {@code backdoor}; the app name
     * is explicit because it decides whether this application fights VMware
     * Tools (see the class description).
     *
     * @param appName {@link #TOOLBOX}, or another app name; one word of printable ASCII
     */
    public static Builder builder(Backdoor backdoor, String appName) {
        return new Builder(backdoor, appName);
    }

    /**
     * Starts polling on a new thread. Subscribe before, so that no command
     * arrives before its handler.
     *
     * @return this
     * @throws IllegalStateException if already started or closed
     */
    public synchronized TcloEvents start() {
        if (thread != null || closeCalled) {
            throw new IllegalStateException(closeCalled ? "TcloEvents is closed" : "TcloEvents is already started");
        }
        Thread started = threadFactory.newThread(loop);
        thread = started;
        started.start();
        return this;
    }

    /**
     * Answers commands of type {@code type} with {@code handler}, instead of
     * the built-in default; one handler per type.
     *
     * @throws IllegalStateException if a handler for {@code type} is already subscribed
     */
    public <C extends TcloCommand> TcloSubscription subscribe(Class<C> type, TcloHandler<? super C> handler) {
        return dispatcher.subscribe(type, handler);
    }

    /**
     * Answers the command named {@code name} (exact, case-sensitive, e.g.
     * {@code "OS_Halt"} or a name this library does not model) with
     * {@code handler}. A name subscription takes precedence over a type
     * subscription.
     *
     * @throws IllegalStateException if a handler for {@code name} is already subscribed
     */
    public TcloSubscription subscribe(String name, TcloHandler<TcloCommand> handler) {
        return dispatcher.subscribe(name, handler);
    }

    /**
     * Carries out host power operation {@code state} in VMware Tools' order:
     * {@link PowerOperationHandler#prepare}, then the
     * {@code tools.os.statechange.status} RPCI, then (on success)
     * {@link PowerOperationHandler#perform} once the TCLO reply has been
     * sent. A {@link TcloHandler} subscribed for the same command takes
     * precedence.
     *
     * @param state   the operation, e.g. {@link PowerState#HALT}
     * @param handler what the application does
     * @return the subscription
     * @throws IllegalStateException if a handler for {@code state} is already subscribed
     */
    public TcloSubscription onPowerOperation(PowerState state, PowerOperationHandler handler) {
        return dispatcher.onPowerOperation(state, handler);
    }

    /** The host's time-sync settings as of the last {@code Set_Option}. */
    public TimeSyncPolicy timeSyncPolicy() {
        return timeSync.policy();
    }

    /**
     * Calls {@code observer} on the TCLO thread with every well-formed command
     * and the reply it got (from a handler or the built-in behaviour), before
     * the reply goes to the host. For logging and auditing: an observer cannot
     * change the reply, and one that throws is logged and ignored.
     */
    public TcloSubscription observe(BiConsumer<TcloCommand, TcloReply> observer) {
        return dispatcher.observe(observer);
    }

    /** Calls {@code listener} on the TCLO thread each time the host changes the time-sync policy. */
    public TcloSubscription onTimeSyncPolicy(Consumer<TimeSyncPolicy> listener) {
        return timeSync.onPolicy(Objects.requireNonNull(listener, "listener"));
    }

    /** The current state. */
    public TcloState state() {
        return state;
    }

    /**
     * Which transport the TCLO connection uses and why the others were passed
     * over, as of the latest (re)connect; empty before the first one and for
     * an instance pinned to a backdoor.
     */
    public Optional<TransportSelection> transportSelection() {
        return Optional.ofNullable(selection);
    }

    /** The TCLO app name this instance answers as. */
    public String appName() {
        return appName;
    }

    /**
     * Stops polling: sends a reply still owed, closes the TCLO channel (and
     * the RPCI client if this instance opened it) and waits for the thread,
     * at most {@link Builder#closeTimeout} (a handler that does not return
     * delays the channel's close until it does, never this method beyond the
     * bound). Idempotent; callable from a handler.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            stopping = true;
            running = thread;
        }
        if (running == null) {
            tools.close();
        } else if (running != Thread.currentThread()) {
            LockSupport.unpark(running);
            try {
                running.join(Math.max(1, toMillis(closeTimeout)));
                if (running.isAlive()) {
                    logger.log(Level.WARNING, "TCLO thread still busy after " + closeTimeout
                            + " (a handler has not returned); the channel closes when it does");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed();
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * The loop's thread is about to end: its state must say so. Closed if
     * {@link #close()} asked; FAILED with the cause after a fatal error;
     * FAILED too if the loop ended any other way without a final state.
     */
    void loopEnded(@Nullable Throwable fatal) {
        if (fatal != null) {
            transition(TcloState.FAILED, Optional.of(new TcloException("TCLO loop stopped by a fatal error: "
                    + fatal, fatal)));
        } else if (stopping) {
            closed();
        } else if (!state.isFinal()) {
            transition(TcloState.FAILED, Optional.of(new TcloException("TCLO loop ended unexpectedly")));
        }
    }

    private void closed() {
        TcloState previous;
        synchronized (this) {
            previous = state;
            if (previous == TcloState.CLOSED) {
                return;
            }
            state = TcloState.CLOSED;
        }
        report(new TcloStateChange(previous, TcloState.CLOSED, Optional.empty()));
    }

    /** Records a state change from the loop; repeats and changes after a final state are not reported. */
    void transition(TcloState next, Optional<RpcException> cause) {
        TcloState previous;
        synchronized (this) {
            previous = state;
            if (previous == next || previous.isFinal()) {
                return;
            }
            state = next;
        }
        report(new TcloStateChange(previous, next, cause));
    }

    private void report(TcloStateChange change) {
        Level level = switch (change.current()) {
            case RECOVERING -> Level.WARNING;
            case CONFLICT, FAILED -> Level.ERROR;
            default -> Level.INFO;
        };
        String because = change.cause().map(c -> ": " + c.getMessage()).orElse("");
        logger.log(level, "TCLO '" + appName + "' " + change.previous() + " -> " + change.current() + because,
                change.current() == TcloState.FAILED ? change.cause().orElse(null) : null);
        callbacks.run("TCLO state listener", () -> {
            listener.accept(change);
            return null;
        });
    }

    private static List<TcloDispatcher.Capability> defaultCapabilities() {
        // What vmtoolsd's powerOps plugin registers: soft power operations are possible, and may be retried.
        return List.of(new TcloDispatcher.Capability("statechange", null),
                new TcloDispatcher.Capability("softpowerop_retry", null));
    }

    private static Supplier<Optional<HostTime>> hostClock(Backdoor backdoor) {
        RegisterFrame frame = new RegisterFrame();   // used on the TCLO thread only
        return () -> HostTime.query(backdoor, frame);
    }

    /** A virtual thread where the JDK has them (21+), else a daemon platform thread. */
    static ThreadFactory defaultThreadFactory(String appName) {
        String name = "vmwguest-tclo-" + appName;
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = MethodHandles.publicLookup()
                    .findStatic(Thread.class, "ofVirtual", MethodType.methodType(Class.forName(
                            "java.lang.Thread$Builder$OfVirtual")))
                    .invoke();
            builder = MethodHandles.publicLookup()
                    .findVirtual(builderType, "name", MethodType.methodType(builderType, String.class))
                    .invoke(builder, name);
            return (ThreadFactory) MethodHandles.publicLookup()
                    .findVirtual(builderType, "factory", MethodType.methodType(ThreadFactory.class))
                    .invoke(builder);
        } catch (Throwable notAvailable) {
            return runnable -> {
                Thread platform = new Thread(runnable, name);
                platform.setDaemon(true);
                return platform;
            };
        }
    }

    /** Configures a {@link TcloEvents}; obtain one with {@link TcloEvents#builder(Backdoor, String)}. */
    public static final class Builder {

        private final Backdoor backdoor;
        private final String appName;
        private @Nullable RpciClient rpci;
        private RpciOptions rpciOptions = RpciOptions.defaults();
        private RpcChannelOptions channelOptions = RpcChannelOptions.defaults();
        private TcloPolling polling = TcloPolling.defaults();
        private int conflictResets = 5;
        private ClockAdjuster clockAdjuster = ClockAdjuster.reportOnly();
        private Clock clock = Clock.systemUTC();
        private Consumer<TcloStateChange> listener = change -> { };
        private System.Logger logger = System.getLogger(TcloEvents.class.getName());
        private @Nullable ThreadFactory threadFactory;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int toolsVersion = RpciRequest.SetToolsVersion.UNMANAGED;
        private @Nullable List<TcloDispatcher.Capability> capabilities;
        private boolean unifiedLoop = true;
        private TcloTransport.@Nullable Opener opener;
        private @Nullable TransportSelector transports;
        private @Nullable ToolsRpc tools;
        private @Nullable Supplier<Optional<HostTime>> hostClock;
        private LoopClock loopClock = LoopClock.SYSTEM;

        private Builder(Backdoor backdoor, String appName) {
            this.backdoor = Objects.requireNonNull(backdoor, "backdoor");
            Objects.requireNonNull(appName, "appName");
            if (appName.isEmpty() || appName.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
                throw new IllegalArgumentException("TCLO app name '" + appName
                        + "' must be one word of printable ASCII, e.g. " + TOOLBOX);
            }
            this.appName = appName;
        }

        /** Sends RPCI through {@code client} (not closed by {@link TcloEvents#close()}); default: a client of its own. */
        public Builder rpci(RpciClient client) {
            this.rpci = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Options of the RPCI client this instance opens (ignored with {@link #rpci}). */
        public Builder rpciOptions(RpciOptions options) {
            this.rpciOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Options of the TCLO channel (checkpoint retries, sizes, bandwidth). */
        public Builder channelOptions(RpcChannelOptions options) {
            this.channelOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Chooses the TCLO transport (and that of the RPCI client this
         * instance opens) by {@code policy}, with this builder's backdoor and
         * the installed providers: vsock TCLO is pushed by the host and
         * answered at once, with a heartbeat every second; the backdoor is
         * polled. Default: this builder's backdoor only. Pass
         * {@link TransportPolicy#fromEnvironment()} to follow
         * {@code vmwguest.transport}.
         */
        public Builder transportPolicy(TransportPolicy policy) {
            this.transports = TransportSelector.over(backdoor, Objects.requireNonNull(policy, "policy"),
                    TransportSelector.installedProviders());
            return this;
        }

        /** Opens the TCLO connection (and the library's own RPCI client) through {@code selector}. */
        public Builder transports(TransportSelector selector) {
            this.transports = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /** Poll intervals and failure back-off; default {@link TcloPolling#defaults()}. */
        public Builder polling(TcloPolling polling) {
            this.polling = Objects.requireNonNull(polling, "polling");
            return this;
        }

        /**
         * How many rejected attaches in a row (a {@code reset} followed by another
         * {@code reset} or a channel failure, with no other command between) mean
         * that another process holds the app name; default 5, vmtoolsd's limit for
         * its user service. The conflict is reported at the latest on the
         * {@code (resets + 1)}th reset.
         */
        public Builder conflictResets(int resets) {
            if (resets < 1) {
                throw new IllegalArgumentException("conflictResets must be at least 1: " + resets);
            }
            this.conflictResets = resets;
            return this;
        }

        /** What to do with the guest clock; default {@link ClockAdjuster#reportOnly()}. */
        public Builder clockAdjuster(ClockAdjuster adjuster) {
            this.clockAdjuster = Objects.requireNonNull(adjuster, "adjuster");
            return this;
        }

        /** The guest clock compared with the host's; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Told of every {@link TcloState} change, on the TCLO thread (CLOSED: on the TCLO thread as it ends,
         * or on the closing thread if it never started or does not end within the close timeout). A listener
         * that throws is logged and ignored, unless it throws a fatal JVM error.
         */
        public Builder listener(Consumer<TcloStateChange> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Where state changes and handler failures are logged; default {@code System.getLogger(TcloEvents)}. */
        public Builder logger(System.Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /** The thread that polls; e.g. {@code Thread.ofVirtual().factory()} on Java 21. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** How long {@link TcloEvents#close()} waits for the thread; default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("negative timeout: " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** The version sent with {@code tools.set.version}; default {@link RpciRequest.SetToolsVersion#UNMANAGED}. */
        public Builder toolsVersion(int version) {
            new RpciRequest.SetToolsVersion(version);   // validates
            this.toolsVersion = version;
            return this;
        }

        /**
         * Sends {@code tools.capability.<name> } on {@code Capabilities_Register}.
         * The first call replaces the defaults ({@code statechange},
         * {@code softpowerop_retry}); see {@link #noCapabilities()}.
         */
        public Builder capability(String name) {
            capabilityList().add(new TcloDispatcher.Capability(word(name), null));
            return this;
        }

        /** Sends {@code tools.capability.<name> <arguments>} on {@code Capabilities_Register}; see {@link #capability(String)}. */
        public Builder capability(String name, String arguments) {
            capabilityList().add(new TcloDispatcher.Capability(word(name), Objects.requireNonNull(arguments)));
            return this;
        }

        /** Sends no capability, only the tools version (the host then offers no soft power operations). */
        public Builder noCapabilities() {
            capabilityList().clear();
            return this;
        }

        /** Whether to send {@code vmx.capability.unified_loop <app>} after each reset; default true, as vmtoolsd. */
        public Builder unifiedLoop(boolean send) {
            this.unifiedLoop = send;
            return this;
        }

        /** A new, unstarted instance; subscribe, then {@link TcloEvents#start()}. */
        public TcloEvents build() {
            return new TcloEvents(this);
        }

        /** {@link #build()} and {@link TcloEvents#start()}. */
        public TcloEvents start() {
            return build().start();
        }

        Builder transport(TcloTransport.Opener opener) {
            this.opener = opener;
            return this;
        }

        Builder tools(ToolsRpc tools) {
            this.tools = tools;
            return this;
        }

        Builder hostClock(Supplier<Optional<HostTime>> clock) {
            this.hostClock = clock;
            return this;
        }

        Builder loopClock(LoopClock clock) {
            this.loopClock = clock;
            return this;
        }

        private List<TcloDispatcher.Capability> capabilityList() {
            List<TcloDispatcher.Capability> list = capabilities;
            if (list == null) {
                list = new ArrayList<>();
                capabilities = list;
            }
            return list;
        }

        private static String word(String name) {
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
                throw new IllegalArgumentException("capability name '" + name + "' must be one word of printable ASCII");
            }
            return name;
        }
    }

    static long toMillis(Duration d) {
        return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}
