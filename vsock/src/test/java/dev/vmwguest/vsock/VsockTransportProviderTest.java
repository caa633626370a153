package dev.vmwguest.vsock;

import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static dev.vmwguest.rpc.TransportKind.VSOCK_PRIVILEGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportPolicy;
import dev.vmwguest.rpc.transport.TransportRefusal.Reason;
import dev.vmwguest.rpc.transport.TransportRefusal;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the provider tries vsock at all, and what its no-connect check reports. */
class VsockTransportProviderTest {

    @TempDir
    Path directory;
    private FakeVsockHost host;
    private final AtomicInteger socketsCreated = new AtomicInteger();

    @BeforeEach
    void startHost() throws Exception {
        host = FakeVsockHost.start(directory);
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    /** Settings as in production (no stand-in configured), but the sockets come from the stand-in and are counted. */
    private VsockTransportProvider onKvm(VsockSettings settings) {
        VsockSocket.Factory standIn = GuestVsockStandIn.in(directory).factory();
        VsockSocket.Factory counting = new VsockSocket.Factory() {
            @Override
            public VsockSocket open() throws ErrnoException {
                socketsCreated.incrementAndGet();
                return standIn.open();
            }

            @Override
            public String describe() {
                return "counted stand-in sockets";
            }
        };
        return new VsockTransportProvider(settings, Optional.empty(), counting,
                () -> Optional.of("CPUID does not say VMware (KVMKVMKVM)"));
    }

    private static RpcConnection open(VsockTransportProvider provider, TransportPolicy policy) {
        return provider.open(VSOCK_PRIVILEGED, RpcProtocol.RPCI, policy, RpcChannelOptions.defaults());
    }

    @Test
    void offVmwareTheDefaultPolicyNeverCreatesAVsockSocket() {
        VsockTransportProvider provider = onKvm(VsockSettings.defaults());

        assertThatThrownBy(() -> open(provider, TransportPolicy.defaults()))
                .isInstanceOfSatisfying(VsockUnavailableException.class, e -> assertThat(e.errno()).isEmpty())
                .hasMessageContaining("KVMKVMKVM")
                .hasMessageContaining("tried only on VMware");
        assertThat(provider.check(VSOCK, RpcProtocol.TCLO, TransportPolicy.defaults()))
                .get().extracting(TransportRefusal::reason).isEqualTo(Reason.UNAVAILABLE);
        assertThat(socketsCreated).hasValue(0);
    }

    @Test
    void anExplicitPolicyTriesVsockOffVmware() {
        try (RpcConnection connection = open(onKvm(VsockSettings.defaults()),
                TransportPolicy.of(VSOCK_PRIVILEGED))) {
            assertThat(connection.isOpen()).isTrue();
        }
        assertThat(socketsCreated).hasValue(1);
    }

    @Test
    void aConfiguredCidTriesVsockOffVmware() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty(VsockSettings.CID_PROPERTY, "0");
        VsockSettings settings = VsockSettings.from(properties, java.util.Map.of());

        try (RpcConnection connection = open(onKvm(settings), TransportPolicy.defaults())) {
            assertThat(connection.transport()).isEqualTo(VSOCK_PRIVILEGED);
        }
    }

    @Test
    void theCheckPredictsEachRefusalWithoutConnecting() throws Exception {
        VsockSettings settings = VsockSettings.defaults();
        TransportPolicy policy = TransportPolicy.defaults();
        GuestVsockStandIn standIn = GuestVsockStandIn.in(directory);

        assertThat(VsockTransportProvider.standIn(standIn, settings).check(VSOCK_PRIVILEGED, RpcProtocol.RPCI, policy))
                .isEmpty();
        assertThat(VsockTransportProvider.standIn(standIn.withPrivilegedBind(false), settings)
                .check(VSOCK_PRIVILEGED, RpcProtocol.RPCI, policy)).get()
                .extracting(TransportRefusal::reason).isEqualTo(Reason.PRIVILEGE_DENIED);
        assertThat(VsockTransportProvider.standIn(standIn.withSocketError(VsockErrno.EPERM), settings)
                .check(VSOCK, RpcProtocol.RPCI, policy)).get()
                .extracting(TransportRefusal::reason).isEqualTo(Reason.UNAVAILABLE);
        host.close();
        java.nio.file.Files.delete(directory.resolve("975.sock"));
        assertThat(VsockTransportProvider.standIn(standIn, settings).check(VSOCK, RpcProtocol.TCLO, policy)).get()
                .satisfies(refusal -> assertThat(refusal.message()).contains("975.sock"));
        assertThat(standIn.boundPorts()).isEmpty();
        assertThat(host.connections).isEmpty();
    }

    @Test
    void theStandInByDirectoryLetsAPrivilegedBindSucceedWhateverThisProcessMayDo() throws Exception {
        VsockSettings settings = VsockSettings.defaults();
        VsockTransportProvider provider = VsockTransportProvider.standIn(directory, settings);

        assertThat(provider.check(VSOCK_PRIVILEGED, RpcProtocol.RPCI, TransportPolicy.defaults())).isEmpty();
        try (RpcConnection connection = provider.open(VSOCK_PRIVILEGED, RpcProtocol.RPCI, TransportPolicy.defaults(),
                RpcChannelOptions.defaults())) {
            // A refused privileged bind would have thrown (PRIVILEGE_DENIED) instead of connecting.
            assertThat(connection.transport()).isEqualTo(VSOCK_PRIVILEGED);
        }
    }

    @Test
    void theStandInAndTheErrnoNamesAreNotPublicApi() {
        // The module exports dev.vmwguest.vsock; only public types there are visible to users.
        assertThat(java.lang.reflect.Modifier.isPublic(GuestVsockStandIn.class.getModifiers())).isFalse();
        assertThat(java.lang.reflect.Modifier.isPublic(VsockErrno.class.getModifiers())).isFalse();
        VsockUnavailableException refused = new VsockUnavailableException(VSOCK, "no vsock",
                Optional.of(VsockErrno.EPERM), null);
        assertThat(refused.errnoName()).contains("EPERM");
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(TransportSelector.installedProviders())
                .anySatisfy(provider -> assertThat(provider).isInstanceOf(VsockTransportProvider.class));
    }
}
