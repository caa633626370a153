package dev.vmwguest.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exported packages carry only what users name; the machinery behind them stays inside. */
class ExportedTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev.vmwguest.rpc.ConfidentialGuest", "dev.vmwguest.rpc.MachineView",
        "dev.vmwguest.rpc.transport.BackdoorSource"})
    void internalTypesAreNotPublic(String name) throws ClassNotFoundException {
        assertThat(Modifier.isPublic(Class.forName(name).getModifiers())).isFalse();
    }

    @Test
    void theConnectionTypesLiveInTheRpcPackageSoItImportsNothingFromTransport() {
        assertThat(RpcConnection.class.getPackageName()).isEqualTo("dev.vmwguest.rpc");
        assertThat(TransportKind.class.getPackageName()).isEqualTo("dev.vmwguest.rpc");
        assertThat(RpcChannel.class.getInterfaces()).containsExactly(RpcConnection.class);
    }
}
