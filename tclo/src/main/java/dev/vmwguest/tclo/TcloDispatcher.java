package dev.vmwguest.tclo;

import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.rpci.RpciException;
import dev.vmwguest.rpci.RpciRequest;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns one host message into one reply: parse, the application's handler if
 * there is one, the built-in behaviour otherwise, and the protocol side
 * effects that always happen (time-sync policy, power-operation report,
 * post-reset RPCI). Handler lookup: by exact wire name first, then by record
 * class. Runs on the TCLO thread; subscriptions may change from any thread.
 */
final class TcloDispatcher {

    /** A capability sent on {@code Capabilities_Register}; {@code arguments} null for the no-value form. */
    record Capability(String name, @Nullable String arguments) {
    }

    /**
     * One dispatched command: the reply owed, whether the command was
     * {@code reset} or {@code ping}, and what to run once the reply has been
     * sent (a power operation's action), if anything.
     */
    record Dispatched(TcloReply reply, boolean reset, boolean ping, @Nullable Runnable afterReply) {
        Dispatched(TcloReply reply) {
            this(reply, false, false, null);
        }
    }

    static final int MAX_REASON = 200;

    private final String appName;
    private final RpciSender tools;
    private final TimeSync timeSync;
    private final List<Capability> capabilities;
    private final int toolsVersion;
    private final boolean unifiedLoop;
    private final System.Logger logger;
    private final Callbacks callbacks;
    private final PowerOperations power;
    private final Map<Class<?>, TcloHandler<?>> byType = new ConcurrentHashMap<>();
    private final Map<String, TcloHandler<TcloCommand>> byName = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final List<BiConsumer<TcloCommand, TcloReply>> observers = new CopyOnWriteArrayList<>();

    TcloDispatcher(String appName, RpciSender tools, TimeSync timeSync, List<Capability> capabilities,
            int toolsVersion, boolean unifiedLoop, System.Logger logger, Callbacks callbacks) {
        this.appName = appName;
        this.tools = tools;
        this.timeSync = timeSync;
        this.capabilities = List.copyOf(capabilities);
        this.toolsVersion = toolsVersion;
        this.unifiedLoop = unifiedLoop;
        this.logger = logger;
        this.callbacks = callbacks;
        this.power = new PowerOperations(callbacks, tools, this::rpci);
    }

    TcloSubscription onPowerOperation(PowerState state, PowerOperationHandler handler) {
        return power.subscribe(state, handler);
    }

    <C extends TcloCommand> TcloSubscription subscribe(Class<C> type, TcloHandler<? super C> handler) {
        Objects.requireNonNull(handler, "handler");
        if (!type.isRecord() || !TcloCommand.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a TcloCommand record");
        }
        if (byType.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("a handler for " + type.getSimpleName()
                    + " is already subscribed; the reply must come from one place (unsubscribe it first)");
        }
        return () -> byType.remove(type, handler);
    }

    TcloSubscription subscribe(String name, TcloHandler<TcloCommand> handler) {
        Objects.requireNonNull(handler, "handler");
        if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a TCLO command name is one word: '" + name + "'");
        }
        if (byName.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("a handler for '" + name + "' is already subscribed; the reply must"
                    + " come from one place (unsubscribe it first)");
        }
        return () -> byName.remove(name, handler);
    }

    TcloSubscription observe(BiConsumer<TcloCommand, TcloReply> observer) {
        Objects.requireNonNull(observer, "observer");
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    /** Never throws anything a callback can survive: a failure anywhere becomes an {@code ERROR} reply. */
    Dispatched dispatch(byte[] message, long nowNanos) {
        TcloCommand command;
        try {
            command = TcloCommand.parse(message);
        } catch (TcloFormatException malformed) {
            return new Dispatched(malformed.reply());
        }
        try {
            return dispatch(command, nowNanos);
        } catch (RuntimeException | Error e) {
            if (!Callbacks.survivable(e)) {
                throw e;                // already logged where it was thrown
            }
            callbacks.failed("TCLO dispatch of " + command.commandName(), e);
            return new Dispatched(TcloReply.error(reason(e)), command instanceof TcloCommand.Reset,
                    command instanceof TcloCommand.Ping, null);
        }
    }

    private Dispatched dispatch(TcloCommand command, long nowNanos) {
        if (command instanceof TcloCommand.SetOption option) {
            timeSync.setOption(option.name(), option.value(), nowNanos);
        }
        TcloHandler<TcloCommand> handler = handlerFor(command);
        Runnable afterReply = null;
        TcloReply reply;
        if (command instanceof TcloCommand.PowerOperation op) {
            PowerOperationHandler performer = handler == null ? power.handler(op.state()) : null;
            reply = handler != null ? run(handler, command)
                    : performer != null ? power.prepare(op.state(), performer) : builtIn(command, nowNanos);
            afterReply = power.complete(op.state(), reply, handler != null || performer != null, performer)
                    .afterReply();
        } else {
            reply = handler != null ? run(handler, command) : builtIn(command, nowNanos);
        }
        if (command instanceof TcloCommand.Reset && unifiedLoop) {
            // As vmtoolsd after a reset: tell the VMX this app runs the unified loop. The host accepts
            // RPCI while a TCLO command is outstanding (tclo.md section 4). Old hosts answer "Unknown command".
            rpci("vmx.capability.unified_loop",
                    () -> tools.call(RpciRequest.Raw.of("vmx.capability.unified_loop " + appName)));
        }
        notifyObservers(command, reply);
        return new Dispatched(reply, command instanceof TcloCommand.Reset, command instanceof TcloCommand.Ping,
                afterReply);
    }

    private void notifyObservers(TcloCommand command, TcloReply reply) {
        for (BiConsumer<TcloCommand, TcloReply> observer : observers) {
            // An observer only watches: its failure must not change the reply the host gets.
            callbacks.run("TCLO command observer", () -> {
                observer.accept(command, reply);
                return null;
            });
        }
    }

    @SuppressWarnings("unchecked")   // subscribe() pairs each class with a handler for a supertype of it
    private @Nullable TcloHandler<TcloCommand> handlerFor(TcloCommand command) {
        TcloHandler<TcloCommand> named = byName.get(command.commandName());
        return named != null ? named : (TcloHandler<TcloCommand>) byType.get(command.getClass());
    }

    private TcloReply run(TcloHandler<TcloCommand> handler, TcloCommand command) {
        try {
            TcloReply reply = callbacks.call("TCLO handler for " + command.commandName(), () -> handler.handle(command));
            if (reply == null) {      // nullness is not enforced at run time
                callbacks.failed("TCLO handler for " + command.commandName(),
                        new IllegalStateException("handler returned no reply"));
                return TcloReply.error("handler returned no reply");
            }
            return reply;
        } catch (Callbacks.Failure failed) {
            return TcloReply.error(reason(failed.getCause()));
        }
    }

    private TcloReply builtIn(TcloCommand command, long nowNanos) {
        if (command instanceof TcloCommand.Reset) {
            return TcloReply.ok("ATR " + appName);
        }
        if (command instanceof TcloCommand.Ping || command instanceof TcloCommand.SetOption) {
            return TcloReply.ok();   // current vmtoolsd accepts every well-formed Set_Option (tclo.md 5.1)
        }
        if (command instanceof TcloCommand.CapabilitiesRegister) {
            registerCapabilities();
            return TcloReply.ok();   // RPCI failures are only logged, as vmtoolsd does
        }
        if (command instanceof TcloCommand.TimeSynchronize sync) {
            if (!timeSync.adjusterChangesClock()) {
                // Report-only: answer as VMware Tools without its timeSync plugin, which is what registers
                // Time_Synchronize (timeSync.c:1102-1103): an unregistered name gets "Unknown Command"
                // (rpcChannel.c:434-435). Claiming OK would tell the host the clock was set.
                return TcloReply.unknownCommand();
            }
            // timeSync.c:875-885: OK when synchronised or when nothing needed doing, else this error.
            return timeSync.timeSynchronize(sync.allowBackward(), nowNanos).succeeded() ? TcloReply.ok()
                    : TcloReply.error("Unable to sync time");
        }
        if (command instanceof TcloCommand.PowerOperation power) {
            // No application handler: the library never halts or reboots by itself, so it reports
            // failure for those (as govmomi does); the other states need nothing from the guest.
            return power.state() == PowerState.HALT || power.state() == PowerState.REBOOT
                    ? TcloReply.error("No handler for " + power.commandName() + " in this application")
                    : TcloReply.ok();
        }
        return TcloReply.unknownCommand();
    }

    private void registerCapabilities() {
        for (Capability capability : capabilities) {
            if (!rpci("tools.capability." + capability.name(),
                    () -> tools.call(new RpciRequest.Capability(capability.name(),
                            capability.arguments() == null ? "" : capability.arguments())))) {
                return;   // the channel is unusable; the host asks again after its next reset
            }
        }
        rpci("tools.set.version", () -> tools.call(new RpciRequest.SetToolsVersion(toolsVersion)));
    }

    /**
     * Runs one RPCI. A failure is logged once per command until that command
     * succeeds again. Returns false only when the channel itself failed (a
     * failure reply such as {@code 0 Unknown command} from an older host is
     * not a reason to skip the next command).
     */
    private boolean rpci(String what, Runnable call) {
        String key = "RPCI " + what;
        try {
            call.run();
            if (failing.remove(key)) {
                logger.log(Level.INFO, key + " works again");
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            if (failing.add(key)) {
                logger.log(Level.WARNING, key + " failed (not logged again until it succeeds): " + e.getMessage());
            }
            return e instanceof RpciException;
        }
    }

    /** A short, printable reason for an ERROR reply: the exception's first line, or its class name. */
    static String reason(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline).strip();
        }
        StringBuilder clean = new StringBuilder();
        // An exception message is ours to shorten and clean, unlike a handler's reply text: control
        // characters and unpaired surrogates (which UTF-8 cannot carry) become harmless stand-ins.
        text.codePoints().limit(MAX_REASON).forEach(c -> clean.appendCodePoint(
                c < 0x20 || c == 0x7F ? ' ' : Character.isSurrogate((char) c) && c < 0x10000 ? '\uFFFD' : c));
        return clean.toString();
    }
}
