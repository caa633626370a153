package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.RpcChannelClosedException;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each request type encodes its command, validates when made, and says whether it may be resent. */
class RpciRequestTest {

    private static String text(RpciRequest request) {
        return new String(request.encode(), StandardCharsets.UTF_8);
    }

    @Test
    void eachRecordEncodesItsCommand() {
        assertThat(text(new RpciRequest.InfoGet(GuestInfoKey.of("ip")))).isEqualTo("info-get guestinfo.ip");
        assertThat(text(new RpciRequest.InfoSet(GuestInfoKey.of("ip"), "10.0.0.5".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("info-set guestinfo.ip 10.0.0.5");
        assertThat(text(new RpciRequest.Log("hello"))).isEqualTo("log hello");
        assertThat(text(new RpciRequest.SetToolsVersion(12448))).isEqualTo("tools.set.version 12448");
        assertThat(text(new RpciRequest.SetToolsVersionType(12448, ToolsInstallType.OPEN_VM_TOOLS)))
                .isEqualTo("tools.set.versiontype 12448 " + ToolsInstallType.OPEN_VM_TOOLS.code());
        assertThat(text(new RpciRequest.Capability("statechange", ""))).isEqualTo("tools.capability.statechange ");
        assertThat(text(new RpciRequest.Capability("hgfs_server", "toolbox 1")))
                .isEqualTo("tools.capability.hgfs_server toolbox 1");
        assertThat(text(new RpciRequest.StateChangeStatus(true, PowerState.RESUME)))
                .isEqualTo("tools.os.statechange.status 1 4");
        assertThat(text(RpciRequest.Raw.of("machine.id.get"))).isEqualTo("machine.id.get");
    }

    @Test
    void setGuestInfoIsBinarySafe() {
        byte[] value = {'a', 0, (byte) 0xFF};
        byte[] encoded = new RpciRequest.SetGuestInfo(GuestInfoType.DNS_NAME, value).encode();

        String head = "SetGuestInfo  " + GuestInfoType.DNS_NAME.code() + " ";
        assertThat(encoded).startsWith(head.getBytes(StandardCharsets.US_ASCII)).endsWith(value)
                .hasSize(head.length() + value.length);
    }

    @Test
    void logLinesAndPowerOperationOutcomesAreNeverResentTheRestAre() {
        assertThat(new RpciRequest.Log("x").resendable()).isFalse();
        assertThat(new RpciRequest.StateChangeStatus(false, PowerState.HALT).resendable()).isFalse();
        assertThat(new RpciRequest.InfoGet(GuestInfoKey.of("k")).resendable()).isTrue();
        assertThat(new RpciRequest.InfoSet(GuestInfoKey.of("k"), new byte[0]).resendable()).isTrue();
        assertThat(new RpciRequest.SetToolsVersion(1).resendable()).isTrue();
        assertThat(new RpciRequest.Capability("statechange", "").resendable()).isTrue();
        assertThat(new RpciRequest.SetGuestInfo(GuestInfoType.DNS_NAME, new byte[0]).resendable()).isTrue();
    }

    @Test
    void aRawRequestIsResendableAsItsCommandNameSaysDecidedOnceWhenMade() {
        assertThat(RpciRequest.Raw.of("info-get guestinfo.ip").resendable()).isTrue();
        assertThat(RpciRequest.Raw.of("tools.capability.anything x").resendable()).isTrue();
        assertThat(RpciRequest.Raw.of("log hello").resendable()).isFalse();
        assertThat(RpciRequest.Raw.of("tools.os.statechange.status 1 4").resendable()).isFalse();
        assertThat(RpciRequest.Raw.of("no.such.command").resendable()).isFalse();
    }

    @Test
    void recordsValidateWhenMade() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RpciRequest.Log("a\0b")).withMessageContaining("NUL");
        assertThatIllegalArgumentException().isThrownBy(() -> new RpciRequest.Log("bad \uD800"))
                .withMessageContaining("index 4");
        assertThatIllegalArgumentException().isThrownBy(() -> new RpciRequest.SetToolsVersion(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> new RpciRequest.Capability("two words", ""));
        assertThatIllegalArgumentException().isThrownBy(() -> RpciRequest.Raw.of("x \uDC00"));
        assertThatThrownBy(() -> new RpciRequest.InfoGet(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key");
    }

    @Test
    void requestsWithBytesAreImmutable() {
        byte[] value = {'v'};
        RpciRequest.InfoSet set = new RpciRequest.InfoSet(GuestInfoKey.of("k"), value);
        value[0] = 'x';
        set.value()[0] = 'y';

        assertThat(set.encode()).endsWith(new byte[] {'v'});
        RpciRequest.Raw raw = RpciRequest.Raw.of(new byte[] {'a'});
        raw.bytes()[0] = 'b';
        assertThat(raw.encode()).containsExactly('a');
    }

    @Test
    void theClientDecidesTheResendFromTheTypeNotFromTheBytes() {
        SimulatedHost host = SimulatedHost.create();
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            byte[] line = "log said once".getBytes(StandardCharsets.UTF_8);
            host.faults().closeChannelOn(MessageType.RECEIVE_SIZE);   // after the host took the command

            RpciReply reply = rpci.send(new RpciRequest.Raw(line, true));   // declared resendable: sent again

            assertThat(reply.success()).isTrue();
            assertThat(host.log()).containsExactly("said once", "said once");

            host.faults().closeChannelOn(MessageType.RECEIVE_SIZE);
            byte[] get = "info-get guestinfo.none".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> rpci.send(new RpciRequest.Raw(get, false)))   // declared not resendable
                    .isInstanceOf(RpcChannelClosedException.class);
            assertThat(host.calls().rpci("info-get")).isOne();
        }
    }
}
