package dev.vmwguest.rpc.transport;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorException;
import dev.vmwguest.backdoor.BackdoorSettings;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Opens GuestRPC connections by applying a {@link TransportPolicy}: each
 * transport in order until one connects, recording why the others were
 * passed over ({@link #lastSelection()}).
 *
 * <pre>{@code
 * TransportSelector transports = TransportSelector.forThisProcess();
 * try (RpcConnection rpci = transports.open(RpcProtocol.RPCI, RpcChannelOptions.defaults())) {
 *     System.out.println(transports.lastSelection().orElseThrow());
 * }
 * }</pre>
 *
 * <p><b>Rules</b> (transports.md sections 1.2, 1.6, 3.2): the unprivileged vsock
 * attempt follows the privileged one only when the kernel refused the
 * privileged bind; privileged vsock does not apply to TCLO, which never binds.
 * When vsock fails and a later transport takes over, vsock is skipped for 4 s,
 * then 8 s and so on up to 300 s; {@link #retryDue(TransportKind)} tells a
 * client holding a fallback connection when to try vsock again.
 *
 * <p><b>Threads.</b> Thread-safe; connections are opened outside any lock.
 */
public final class TransportSelector {

    private final TransportPolicy policy;
    private final BackdoorSource backdoor;
    /** False for {@link #over(Backdoor, TransportPolicy)}: vsock is not offered at all, not merely absent. */
    private final boolean vsockOffered;
    private final Map<TransportKind, TransportProvider> providers = new EnumMap<>(TransportKind.class);
    private final LongSupplier nanoClock;
    private final VsockBackoff backoff = new VsockBackoff();
    private volatile @Nullable TransportSelection last;

    private TransportSelector(TransportPolicy policy, BackdoorSource backdoor, List<TransportProvider> installed,
            boolean vsockOffered, LongSupplier nanoClock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.backdoor = Objects.requireNonNull(backdoor, "backdoor");
        this.vsockOffered = vsockOffered;
        this.nanoClock = nanoClock;
        for (TransportProvider provider : installed) {
            for (TransportKind kind : provider.kinds()) {
                providers.putIfAbsent(kind, provider);
            }
        }
    }

    /**
     * The selector production code uses: the process's policy
     * ({@link TransportPolicy#fromEnvironment()}); see {@link #forThisProcess(TransportPolicy)}.
     *
     * @return a selector for this process
     */
    public static TransportSelector forThisProcess() {
        return forThisProcess(TransportPolicy.fromEnvironment());
    }

    /**
     * A selector for this process: {@code policy} over the installed
     * providers, with the backdoor from {@link dev.vmwguest.backdoor.Backdoors#open()},
     * opened only if the policy reaches it. When {@code vmwguest.backdoor=sim}
     * selects the simulator and the policy was not chosen explicitly, only the
     * (simulated) backdoor is used: a simulated host must never be mixed with
     * a real vsock host.
     *
     * @param policy the transports to try, in order
     * @return a selector for this process
     */
    public static TransportSelector forThisProcess(TransportPolicy policy) {
        boolean simulated = BackdoorSettings.fromEnvironment().mode() == BackdoorSettings.Mode.SIM;
        return new TransportSelector(simulated && !policy.explicit() ? TransportPolicy.backdoorOnly() : policy,
                BackdoorSource.detected(), installedProviders(), true, System::nanoTime);
    }

    /**
     * The process's policy ({@link TransportPolicy#fromEnvironment()}) with
     * exactly {@code backdoor} and no vsock: how tests inject a simulated host
     * while keeping the policy's semantics. See {@link #over(Backdoor, TransportPolicy)}.
     *
     * @param backdoor the backdoor (a simulated host in tests)
     * @return a selector offering only {@code backdoor}
     */
    public static TransportSelector over(Backdoor backdoor) {
        return over(backdoor, TransportPolicy.fromEnvironment());
    }

    /**
     * {@code policy} applied with exactly {@code backdoor} and no vsock:
     * each vsock step of the policy is recorded as a
     * {@link Reason#NOT_OFFERED} refusal, so selection and its refusals run
     * as in production, and a policy that allows only vsock (secure RPC)
     * fails as it would on a machine without vsock. A simulated host is never
     * mixed with a real vsock host this way.
     *
     * @param backdoor the backdoor (a simulated host in tests)
     * @param policy   the transports to try, in order
     * @return a selector offering only {@code backdoor}
     */
    public static TransportSelector over(Backdoor backdoor, TransportPolicy policy) {
        return new TransportSelector(policy, BackdoorSource.of(backdoor), List.of(), false, System::nanoTime);
    }

    /**
     * Full control: {@code policy} over exactly {@code providers} (the first
     * one offering a transport wins; a vsock kind none offers is refused as
     * {@link Reason#NOT_INSTALLED}) and {@code backdoor}. For vsock stand-ins
     * in tests and benchmarks; never give a simulated backdoor a real vsock
     * provider.
     *
     * @param backdoor  the backdoor
     * @param policy    the transports to try, in order
     * @param providers the vsock providers to use, e.g. {@link #installedProviders()}
     * @return a selector over exactly these
     */
    public static TransportSelector over(Backdoor backdoor, TransportPolicy policy,
            List<TransportProvider> providers) {
        return new TransportSelector(policy, BackdoorSource.of(backdoor), List.copyOf(providers), true,
                System::nanoTime);
    }

    static TransportSelector withClock(TransportPolicy policy, BackdoorSource backdoor,
            List<TransportProvider> providers, LongSupplier nanoClock) {
        return new TransportSelector(policy, backdoor, List.copyOf(providers), true, nanoClock);
    }

    /**
     * The providers on the module or class path.
     *
     * @return the providers {@link ServiceLoader} finds
     */
    public static List<TransportProvider> installedProviders() {
        List<TransportProvider> found = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, TransportSelector.class.getClassLoader()).forEach(found::add);
        return found;
    }

    /**
     * Opens a connection for {@code protocol} on the first transport of the
     * policy that works.
     *
     * @param protocol RPCI or TCLO
     * @param options the channel options for a backdoor connection and message limits
     * @return the open connection; its selection says which transport it uses and why
     * @throws PrivilegedTransportUnavailableException if the policy requires privilege and none could be had
     * @throws TransportUnavailableException if every transport was refused; {@link TransportUnavailableException#selection()} says why
     * @throws dev.vmwguest.rpc.RpcOpenException if the backdoor is reached and the host opens no channel
     */
    public RpcConnection open(RpcProtocol protocol, RpcChannelOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options");
        List<TransportRefusal> refusals = new ArrayList<>();
        List<RuntimeException> causes = new ArrayList<>();
        TransportRefusal privileged = null;
        boolean vsockFailed = false;
        for (TransportKind kind : policy.order()) {
            Optional<TransportRefusal> skipped = skip(kind, protocol, privileged);
            TransportRefusal refusal;
            if (skipped.isPresent()) {
                refusal = skipped.get();
            } else {
                try {
                    RpcConnection connection = attempt(kind, protocol, options, refusals);
                    if (kind.isVsock()) {
                        backoff.succeeded();
                    } else if (vsockFailed) {
                        backoff.fellBack(nanoClock.getAsLong());
                    }
                    last = new TransportSelection(protocol, Optional.of(kind), refusals);
                    return connection;
                } catch (TransportRefusedException refused) {
                    refusal = refused.refusal();
                    causes.add(refused);
                    vsockFailed |= kind.isVsock();
                }
            }
            refusals.add(refusal);
            if (kind == TransportKind.VSOCK_PRIVILEGED) {
                privileged = refusal;
            }
        }
        TransportSelection selection = new TransportSelection(protocol, Optional.empty(), refusals);
        last = selection;
        TransportUnavailableException failure = policy.requiresPrivilege()
                ? new PrivilegedTransportUnavailableException(selection)
                : new TransportUnavailableException(selection);
        for (int i = 0; i < causes.size(); i++) {
            if (i == 0) {
                failure.initCause(causes.get(i));
            } else {
                failure.addSuppressed(causes.get(i));
            }
        }
        throw failure;
    }

    /**
     * Which transport {@link #open} would try to use for {@code protocol}, and
     * why the ones before it would be passed over, found without connecting
     * (providers check sockets and capabilities; the backdoor only CPUID).
     * The real attempt can still fail and fall further.
     *
     * @param protocol RPCI or TCLO
     * @return which transport {@link #open} would try to use for {@code protocol}, and why the ones before it would be passed over, found without connecting (providers check sockets and capabilities
     */
    public TransportSelection plan(RpcProtocol protocol) {
        List<TransportRefusal> refusals = new ArrayList<>();
        TransportRefusal privileged = null;
        for (TransportKind kind : policy.order()) {
            Optional<TransportRefusal> refusal = skip(kind, protocol, privileged);
            if (refusal.isEmpty()) {
                refusal = kind.isVsock() ? providers.get(kind).check(kind, protocol, policy)
                        : backdoor.unavailability().map(why -> new TransportRefusal(kind, Reason.UNAVAILABLE, why));
            }
            if (refusal.isEmpty()) {
                return new TransportSelection(protocol, Optional.of(kind), refusals);
            }
            refusals.add(refusal.get());
            if (kind == TransportKind.VSOCK_PRIVILEGED) {
                privileged = refusal.get();
            }
        }
        return new TransportSelection(protocol, Optional.empty(), refusals);
    }

    /**
     * The outcome of the latest {@link #open}, successful or not.
     *
     * @return the outcome of the latest {@link #open}, successful or not
     */
    public Optional<TransportSelection> lastSelection() {
        return Optional.ofNullable(last);
    }

    /**
     * The policy applied.
     *
     * @return the policy applied
     */
    public TransportPolicy policy() {
        return policy;
    }

    /**
     * The backdoor this selector uses, for the backdoor's own commands (such
     * as host time), which work whatever transport carries GuestRPC. Opened on
     * the first call that finds one (detection only checks CPUID); empty,
     * never an exception, when this JVM has no usable backdoor.
     *
     * @return the backdoor, or empty when there is none
     */
    public Optional<Backdoor> backdoor() {
        if (backdoor.unavailability().isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(backdoor.open());
        } catch (BackdoorException unavailable) {
            return Optional.empty();
        }
    }

    /**
     * Whether a connection on {@code current} is a fallback whose back-off has
     * run out, so the holder should close it and open a new one to try vsock
     * again (open-vm-tools retries vsock lazily, on the next send).
     *
     * @param current the transport of the connection held
     * @return whether a connection on {@code current} is a fallback whose back-off has run out, so the holder should close it and open a new one to try vsock again (open-vm-tools retries vsock lazily, on the next send)
     */
    public boolean retryDue(TransportKind current) {
        // Called before every RPCI command: the common case (no fallback) reads one volatile field.
        return !current.isVsock() && backoff.inForce() && backoff.retryDue(nanoClock.getAsLong());
    }

    private Optional<TransportRefusal> skip(TransportKind kind, RpcProtocol protocol,
            @Nullable TransportRefusal privileged) {
        if (kind == TransportKind.VSOCK_PRIVILEGED && protocol == RpcProtocol.TCLO) {
            return refusal(kind, Reason.NOT_APPLICABLE, "TCLO connections are never bound to a source port "
                    + "(VMware Tools binds only RPCI to a privileged one), so privilege does not apply; "
                    + "the host pushes TCLO to any vsock client");
        }
        if (!kind.isVsock()) {
            return Optional.empty();
        }
        if (!vsockOffered) {
            return refusal(kind, Reason.NOT_OFFERED, "this selector offers no vsock: it runs on exactly the"
                    + " backdoor it was given (TransportSelector.over)");
        }
        if (!providers.containsKey(kind)) {
            return refusal(kind, Reason.NOT_INSTALLED, "no provider for " + kind + " is installed");
        }
        Duration wait = backoff.remaining(nanoClock.getAsLong());
        if (!wait.isZero()) {
            return refusal(kind, Reason.BACKING_OFF, "vsock failed recently; skipped for another "
                    + wait.toMillis() + " ms (back-off 2 s doubling to 300 s, as open-vm-tools)");
        }
        if (kind == TransportKind.VSOCK && privileged != null && privileged.reason() != Reason.PRIVILEGE_DENIED
                && privileged.reason() != Reason.NOT_APPLICABLE) {
            return refusal(kind, Reason.NOT_TRIED, "the privileged attempt ended with " + privileged.reason()
                    + ", not a refused bind (EACCES); like open-vm-tools, no unprivileged attempt follows that");
        }
        return Optional.empty();
    }

    private RpcConnection attempt(TransportKind kind, RpcProtocol protocol, RpcChannelOptions options,
            List<TransportRefusal> refusals) {
        if (kind.isVsock()) {
            return providers.get(kind).open(kind, protocol, policy, options);
        }
        Backdoor opened;
        try {
            opened = backdoor.open();
        } catch (BackdoorException unavailable) {
            throw new TransportRefusedException(kind, Reason.UNAVAILABLE, String.valueOf(unavailable.getMessage()),
                    unavailable);
        }
        try {
            return RpcChannel.open(opened, protocol, options);
        } catch (RuntimeException refused) {
            // The host's own answer (channel table full, no GuestRPC) is what the caller must see.
            List<TransportRefusal> all = new ArrayList<>(refusals);
            all.add(new TransportRefusal(kind, Reason.FAILED, String.valueOf(refused.getMessage())));
            last = new TransportSelection(protocol, Optional.empty(), all);
            throw refused;
        }
    }

    private static Optional<TransportRefusal> refusal(TransportKind kind, Reason reason, String message) {
        return Optional.of(new TransportRefusal(kind, reason, message));
    }
}
