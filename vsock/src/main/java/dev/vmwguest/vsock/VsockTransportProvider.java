package dev.vmwguest.vsock;

import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportProvider;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The vsock transports ({@link TransportKind#VSOCK_PRIVILEGED},
 * {@link TransportKind#VSOCK}) for
 * {@link dev.vmwguest.rpc.transport.TransportSelector}, found with
 * {@link java.util.ServiceLoader}; configured by {@link VsockSettings}.
 *
 * <p><b>When vsock is tried at all.</b> CID 0 is tried only when CPUID says
 * VMware, unless the user asked for vsock explicitly (a
 * {@code vmwguest.transport} naming it, or a {@code vmwguest.vsock.cid}): on
 * other hypervisors each attempt costs the 2 s connect timeout, and CID 2 can
 * reach an unrelated host service (transports.md 3.2). With a stand-in
 * directory configured, the stand-in is used and nothing else.
 *
 * <p><b>Attempts.</b> Privileged: the port search of {@link VsockConnector}.
 * A persistent RPCI connection that fails (not for lack of privilege or of
 * vsock) is tried twice more, 100 ms apart, as vmtoolsd does while the host
 * cleans up the previous connection. TCLO connects unbound, once.
 *
 * <p>Thread-safe.
 */
public final class VsockTransportProvider implements TransportProvider {

    static final int START_ATTEMPTS = 3;
    static final Duration START_RETRY_DELAY = Duration.ofMillis(100);

    private final VsockSettings settings;
    private final VsockSocket.Factory sockets;
    private final VsockConnector connector;
    private final Supplier<Optional<String>> notVmware;
    private final Optional<GuestVsockStandIn> standIn;

    /** The provider {@link java.util.ServiceLoader} creates: {@link VsockSettings#fromEnvironment()}. */
    public VsockTransportProvider() {
        this(VsockSettings.fromEnvironment());
    }

    private VsockTransportProvider(VsockSettings settings) {
        this(settings, settings.standIn().map(directory -> GuestVsockStandIn.in(directory)
                // A configured stand-in binds privileged ports when the kernel would let this process.
                .withPrivilegedBind(BindCapability.ofThisProcess().orElse(false))), VsockTransportProvider::notVmware);
    }

    private VsockTransportProvider(VsockSettings settings, Optional<GuestVsockStandIn> standIn,
            Supplier<Optional<String>> notVmware) {
        this(settings, standIn, standIn.map(GuestVsockStandIn::factory)
                .orElseGet(() -> NativeVsockSocket.factory(settings.connectTimeout())), notVmware);
    }

    VsockTransportProvider(VsockSettings settings, Optional<GuestVsockStandIn> standIn, VsockSocket.Factory sockets,
            Supplier<Optional<String>> notVmware) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.standIn = standIn;
        this.sockets = sockets;
        this.connector = new VsockConnector(sockets);
        this.notVmware = notVmware;
    }

    /**
     * A provider for {@code settings}: AF_VSOCK, or the stand-in if the settings name one.
     *
     * @param settings ports, timeouts and an optional stand-in directory
     * @return the provider
     */
    public static VsockTransportProvider create(VsockSettings settings) {
        return new VsockTransportProvider(settings);
    }

    /**
     * A provider on the Unix-socket stand-in in {@code directory} (where a
     * simulated host's vsock side listens), whose simulated kernel lets every
     * privileged bind succeed, as for a process with
     * {@code CAP_NET_BIND_SERVICE}: for tests and benchmarks that need
     * privileged vsock without running as root. Unlike
     * {@code create(settings.withStandIn(directory))}, which binds privileged
     * ports only when this process may.
     *
     * @param directory the stand-in directory
     * @param settings  ports and timeouts; their own stand-in directory is ignored
     * @return the provider
     */
    public static VsockTransportProvider standIn(Path directory, VsockSettings settings) {
        return standIn(GuestVsockStandIn.in(directory), settings);
    }

    /**
     * A provider on {@code standIn}, whose simulated bind and connect outcomes
     * apply (tests). {@code settings} give ports and timeouts; their own
     * stand-in directory is ignored.
     */
    static VsockTransportProvider standIn(GuestVsockStandIn standIn, VsockSettings settings) {
        return new VsockTransportProvider(settings.withStandIn(standIn.directory()), Optional.of(standIn),
                Optional::empty);
    }

    /**
     * The settings in use.
     *
     * @return the settings this provider was created with
     */
    public VsockSettings settings() {
        return settings;
    }

    @Override
    public Set<TransportKind> kinds() {
        return EnumSet.of(TransportKind.VSOCK_PRIVILEGED, TransportKind.VSOCK);
    }

    @Override
    public Optional<TransportRefusal> check(TransportKind kind, RpcProtocol protocol, TransportPolicy policy) {
        try {
            requireAllowed(kind, policy);
            connector.probe(kind);
        } catch (TransportRefusedException refused) {
            return Optional.of(refused.refusal());
        }
        if (kind == TransportKind.VSOCK_PRIVILEGED && !privilegedBindExpected()) {
            return Optional.of(new TransportRefusal(kind, Reason.PRIVILEGE_DENIED, "this process lacks "
                    + "CAP_NET_BIND_SERVICE (CapEff bit 10), so a privileged bind would be refused: "
                    + BindCapability.advice()));
        }
        if (standIn.isPresent()) {
            // TCLO never binds, so it always reaches the unprivileged socket.
            boolean privileged = kind == TransportKind.VSOCK_PRIVILEGED && protocol == RpcProtocol.RPCI;
            Path file = standIn.get().socketFile(port(protocol), privileged);
            if (!Files.exists(file)) {
                return Optional.of(new TransportRefusal(kind, Reason.FAILED, "nothing listens on " + file));
            }
        }
        return Optional.empty();
    }

    @Override
    public RpcConnection open(TransportKind kind, RpcProtocol protocol, TransportPolicy policy,
            RpcChannelOptions options) {
        requireAllowed(kind, policy);
        int port = port(protocol);
        TransportRefusedException last = null;
        int attempts = protocol == RpcProtocol.RPCI ? START_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                LockSupport.parkNanos(START_RETRY_DELAY.toNanos());
            }
            try {
                VsockConnector.Connected connected = kind == TransportKind.VSOCK_PRIVILEGED
                        ? connector.privileged(settings.cid(), port)
                        : connector.unprivileged(settings.cid(), port, protocol == RpcProtocol.RPCI);
                return new GuestVsockConnection(connected.socket(), protocol, kind, connected.sourcePort(), settings,
                        options, System::nanoTime);
            } catch (TransportRefusedException refused) {
                if (refused.reason() != Reason.FAILED) {
                    throw refused;
                }
                if (last != null) {
                    refused.addSuppressed(last);
                }
                last = refused;
            }
        }
        throw Objects.requireNonNull(last);
    }

    private void requireAllowed(TransportKind kind, TransportPolicy policy) {
        if (kind == TransportKind.VSOCK_PRIVILEGED || kind == TransportKind.VSOCK) {
            if (settings.standIn().isEmpty() && standIn.isEmpty()) {
                LibC.loadFailure().ifPresent(failure -> {
                    throw new VsockUnavailableException(kind, "AF_VSOCK cannot be reached from Java here: "
                            + failure.getMessage(), Optional.empty(), failure);
                });
            }
            if (settings.standIn().isEmpty() && !policy.explicit() && !settings.cidConfigured()) {
                notVmware.get().ifPresent(why -> {
                    throw new VsockUnavailableException(kind, why + "; vsock CID " + settings.cid()
                            + " is tried only on VMware (name vsock in " + TransportPolicy.PROPERTY
                            + " to try anyway)", Optional.empty(), null);
                });
            }
            return;
        }
        throw new IllegalArgumentException("not a vsock transport: " + kind);
    }

    private boolean privilegedBindExpected() {
        return standIn.map(GuestVsockStandIn::privilegedBindAllowed)
                .orElseGet(() -> BindCapability.ofThisProcess().orElse(true));
    }

    private int port(RpcProtocol protocol) {
        return protocol == RpcProtocol.RPCI ? settings.rpciPort() : settings.tcloPort();
    }

    private static Optional<String> notVmware() {
        BackdoorDetection seen = Backdoors.detect();
        return seen.isVmware() ? Optional.empty()
                : Optional.of("CPUID does not say VMware (" + seen.hypervisorVendor().orElse("no hypervisor vendor")
                        + ")");
    }
}
