package dev.vmwguest.tclo;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.rpci.RpciClient;
import java.util.Objects;
import java.util.Optional;
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
 * try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).build()) {
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
 * <p><b>Transports.</b> The TCLO connection (and the RPCI client this
 * instance opens) comes from a {@link TransportSelector}: by default
 * {@link TransportSelector#forThisProcess()}, the process's policy
 * ({@code vmwguest.transport}); tests inject
 * {@code TransportSelector.over(simulatedHost)} with {@link TcloEventsBuilder#transports},
 * which keeps the policy's semantics. Over vsock (port 975) the host pushes
 * commands, replies go back at once, and a heartbeat is sent every second
 * after the first reply; on the backdoor the host cannot push, so this
 * instance polls. {@link #transportSelection()} says which and why. Host time
 * for time sync is read with the backdoor's own command whatever transport
 * carries TCLO ({@link TransportSelector#backdoor()}).
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
 * {@linkplain TcloEventsBuilder#listener listener} and logged once (logger
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
 * them, or one from {@link TcloEventsBuilder#threadFactory}). Subscriptions may change
 * from any thread at any time.
 */
public final class TcloEvents implements AutoCloseable {

    /** VMware Tools' main service app name. Use it only where vmtoolsd does not run. */
    public static final String TOOLBOX = "toolbox";

    private final TcloDispatcher dispatcher;
    private final TimeSync timeSync;
    private final TcloLifecycle lifecycle;
    private final TcloLoop loop;
    private volatile @Nullable TransportSelection selection;

    TcloEvents(TcloSettings settings) {
        TransportSelector transports = settings.transports();
        RpciSender rpci = settings.rpciSender(transports);
        Callbacks callbacks = new Callbacks(settings.logger);
        this.timeSync = new TimeSync(settings.hostClock(transports), settings.clock, settings.clockAdjuster,
                callbacks);
        this.dispatcher = new TcloDispatcher(settings.appName, rpci, timeSync, settings.capabilities(),
                settings.toolsVersion, settings.unifiedLoop, settings.logger, callbacks);
        this.lifecycle = new TcloLifecycle(settings.appName, settings.listener, settings.logger, callbacks,
                settings.threadFactory(), settings.closeTimeout, rpci);
        Supplier<RpcConnection> given = settings.connections;
        RpcChannelOptions channelOptions = settings.channelOptions;
        Supplier<RpcConnection> connections = given != null ? given : () -> {
            try {
                return transports.open(RpcProtocol.TCLO, channelOptions);
            } finally {
                transports.lastSelection().ifPresent(latest -> selection = latest);
            }
        };
        this.loop = new TcloLoop(lifecycle, connections, dispatcher, timeSync, rpci, settings.polling,
                settings.conflictResets, settings.loopClock);
    }

    /**
     * A builder for TCLO app {@code appName}, connecting by the process's
     * transport policy unless {@link TcloEventsBuilder#transports} says otherwise; the
     * app name is explicit because it decides whether this application fights
     * VMware Tools (see the class description).
     *
     * @param appName {@link #TOOLBOX}, or another app name; one word of printable ASCII
     * @return a new builder
     * @throws IllegalArgumentException if {@code appName} is not one word of printable ASCII
     */
    public static TcloEventsBuilder builder(String appName) {
        return new TcloEventsBuilder(appName);
    }

    /**
     * Starts polling on a new thread. Subscribe before, so that no command
     * arrives before its handler.
     *
     * @return this
     * @throws IllegalStateException if already started or closed
     */
    public TcloEvents start() {
        lifecycle.start(loop);
        return this;
    }

    /**
     * Answers commands of type {@code type} with {@code handler}, instead of
     * the built-in default; one handler per type.
     *
     * @param <C>     the command type
     * @param type    the command type, e.g. {@code TcloCommand.Ping.class}
     * @param handler what answers it, on the TCLO thread
     * @return the subscription, to cancel it
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
     * @param name    the command name as the host sends it
     * @param handler what answers it, on the TCLO thread
     * @return the subscription, to cancel it
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

    /**
     * The host's time-sync settings as of the last {@code Set_Option}.
     *
     * @return the current time-sync policy
     */
    public TimeSyncPolicy timeSyncPolicy() {
        return timeSync.policy();
    }

    /**
     * Calls {@code observer} on the TCLO thread with every well-formed command
     * and the reply it got (from a handler or the built-in behaviour), before
     * the reply goes to the host. For logging and auditing: an observer cannot
     * change the reply, and one that throws is logged and ignored.
     *
     * @param observer told of each command and its reply
     * @return the subscription, to cancel it
     */
    public TcloSubscription observe(BiConsumer<TcloCommand, TcloReply> observer) {
        return dispatcher.observe(observer);
    }

    /**
     * Calls {@code listener} on the TCLO thread each time the host changes the time-sync policy.
     *
     * @param listener told of each new policy
     * @return the subscription, to cancel it
     */
    public TcloSubscription onTimeSyncPolicy(Consumer<TimeSyncPolicy> listener) {
        return timeSync.onPolicy(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The current state.
     *
     * @return the current state
     */
    public TcloState state() {
        return lifecycle.state();
    }

    /**
     * Which transport the TCLO connection uses and why the others were passed
     * over, as of the latest (re)connect; empty before the first one.
     *
     * @return the latest selection, if a connection was attempted
     */
    public Optional<TransportSelection> transportSelection() {
        return Optional.ofNullable(selection);
    }

    /**
     * The TCLO app name this instance answers as.
     *
     * @return the app name
     */
    public String appName() {
        return lifecycle.appName();
    }

    /**
     * Stops polling: sends a reply still owed, closes the TCLO channel (and
     * the RPCI client if this instance opened it) and waits for the thread,
     * at most {@link TcloEventsBuilder#closeTimeout} (a handler that does not return
     * delays the channel's close until it does, never this method beyond the
     * bound). Idempotent; callable from a handler.
     */
    @Override
    public void close() {
        lifecycle.close();
    }
}
