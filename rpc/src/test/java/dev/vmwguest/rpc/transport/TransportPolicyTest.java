package dev.vmwguest.rpc.transport;

import static dev.vmwguest.rpc.TransportKind.BACKDOOR;
import static dev.vmwguest.rpc.TransportKind.VSOCK;
import static dev.vmwguest.rpc.TransportKind.VSOCK_PRIVILEGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportPolicyTest {

    @Test
    void theDefaultIsPrivilegedVsockThenVsockThenBackdoorAndNotExplicit() {
        TransportPolicy policy = TransportPolicy.from(new Properties(), Map.of());

        assertThat(policy.order()).containsExactly(VSOCK_PRIVILEGED, VSOCK, BACKDOOR);
        assertThat(policy.explicit()).isFalse();
        assertThat(policy.requiresPrivilege()).isFalse();
        assertThat(policy).hasToString("auto (vsock-privileged,vsock,backdoor)");
    }

    @Test
    void thePropertyWinsOverTheEnvironment() {
        Properties properties = new Properties();
        properties.setProperty(TransportPolicy.PROPERTY, "backdoor");

        TransportPolicy policy = TransportPolicy.from(properties, Map.of(TransportPolicy.ENV, "vsock"));

        assertThat(policy.order()).containsExactly(BACKDOOR);
        assertThat(TransportPolicy.from(new Properties(), Map.of(TransportPolicy.ENV, " vsock , backdoor ")).order())
                .containsExactly(VSOCK, BACKDOOR);
    }

    @Test
    void privilegedAloneMeansSecureRpc() {
        TransportPolicy policy = TransportPolicy.parse("privileged");

        assertThat(policy).isEqualTo(TransportPolicy.privilegedOnly());
        assertThat(policy.requiresPrivilege()).isTrue();
        assertThat(TransportPolicy.parse("vsock-privileged,backdoor").requiresPrivilege()).isFalse();
        assertThat(TransportPolicy.parse("AUTO")).isEqualTo(TransportPolicy.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vmci", "vsock,,backdoor", "backdoor,backdoor", "vsock;backdoor"})
    void aBadValueIsRejectedNamingWhereItCameFrom(String value) {
        Properties properties = new Properties();
        properties.setProperty(TransportPolicy.PROPERTY, value);

        assertThatIllegalArgumentException().isThrownBy(() -> TransportPolicy.from(properties, Map.of()))
                .withMessageContaining("vmwguest.transport is '" + value + "'");
    }

    @Test
    void anEmptyOrderIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TransportPolicy(List.of(), true));
    }
}
