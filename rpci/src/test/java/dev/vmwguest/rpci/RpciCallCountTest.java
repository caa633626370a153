package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.CallCounters;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.HighBandwidthPolicy;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Backdoor calls per operation, each a VM exit on real hardware
 * (guestrpc-channel.md section 8): 5 for a round trip over high bandwidth on
 * the open channel, 3 + ceil(n/4) + ceil(r/4) over low bandwidth, plus one
 * OPEN and one CLOSE per client.
 */
class RpciCallCountTest {

    private final SimulatedHost host = SimulatedHost.create();

    private RpciClient open(HighBandwidthPolicy policy) {
        if (policy == HighBandwidthPolicy.AUTO) {
            // the policy never uses high bandwidth in an SEV/TDX guest; the counts below assume it does
            assumeTrue(HighBandwidthPolicy.AUTO.permitsHighBandwidth(), "memory-encrypted guest: no high bandwidth");
        }
        return RpciClient.open(TransportSelector.over(host),
                RpciOptions.defaults().withChannelOptions(RpcChannelOptions.defaults().withHighBandwidth(policy)));
    }

    /** The calls {@code operation} costs. */
    private long callsOf(RpciClient rpci, Consumer<RpciClient> operation) {
        long before = host.calls().total();
        operation.accept(rpci);
        return host.calls().total() - before;
    }

    @Test
    void anInfoGetOnTheOpenChannelCostsFiveCallsOverHighBandwidth() {
        host.guestInfo().put("ip", "10.0.0.5");
        RpciClient rpci = open(HighBandwidthPolicy.AUTO);
        CallCounters.Snapshot before = host.calls().snapshot();

        assertThat(callsOf(rpci, c -> assertThat(c.guestInfo().get("ip")).contains("10.0.0.5"))).isEqualTo(5);

        CallCounters.Snapshot after = host.calls().snapshot();
        assertThat(after.highBandwidthOut() - before.highBandwidthOut()).isOne();
        assertThat(after.highBandwidthIn() - before.highBandwidthIn()).isOne();
        for (MessageType step : new MessageType[] {MessageType.SEND_SIZE, MessageType.RECEIVE_SIZE,
                MessageType.RECEIVE_STATUS}) {
            assertThat(after.byType().get(step) - before.byType().get(step)).as(step.name()).isOne();
        }
        rpci.close();
    }

    @Test
    void everyCommandOnTheOpenChannelCostsFiveCallsOverHighBandwidth() {
        RpciClient rpci = open(HighBandwidthPolicy.AUTO);

        Map<String, Consumer<RpciClient>> operations = Map.of(
                "info-set", c -> c.guestInfo().set("ip", "10.0.0.5"),
                "info-get of a missing key", c -> c.guestInfo().get("missing"),
                "log", c -> c.log("a line of some length, to show that length does not matter"),
                "tools.set.version", c -> c.tools().setVersion(RpciCommands.TOOLS_VERSION_UNMANAGED),
                "capability", c -> c.tools().registerCapability("statechange"),
                "raw send", c -> c.send("no.such.command"));
        operations.forEach((name, operation) -> assertThat(callsOf(rpci, operation)).as(name).isEqualTo(5));

        assertThat(host.calls().opens()).isOne();
        rpci.close();
    }

    @Test
    void anInfoGetOverLowBandwidthCostsOneCallPerFourBytesEachWay() {
        host.guestInfo().put("ip", "10.0.0.5");
        RpciClient rpci = open(HighBandwidthPolicy.NEVER);

        long calls = callsOf(rpci, c -> assertThat(c.guestInfo().get("ip")).contains("10.0.0.5"));

        // "info-get guestinfo.ip" is 21 bytes, "1 10.0.0.5" 10: 3 + 6 + 3
        assertThat(calls).isEqualTo(3 + 6 + 3);
        assertThat(host.calls().highBandwidthOut() + host.calls().highBandwidthIn()).isZero();
        rpci.close();
    }

    @Test
    void aClientUsedOnceCostsTheFactSheetsOneShotCounts() {
        // guestrpc-channel.md section 8: info-set guestinfo.foo bar, 7 calls with HB, 13 without
        RpciClient highBandwidth = open(HighBandwidthPolicy.AUTO);
        highBandwidth.guestInfo().set("foo", "bar");
        highBandwidth.close();
        assertThat(host.calls().total()).isEqualTo(7);

        host.calls().reset();
        RpciClient lowBandwidth = open(HighBandwidthPolicy.NEVER);
        lowBandwidth.guestInfo().set("foo", "bar");
        lowBandwidth.close();
        assertThat(host.calls().total()).isEqualTo(13);
        assertThat(host.calls().of(MessageType.SEND_PAYLOAD)).isEqualTo(7);
        assertThat(host.calls().of(MessageType.RECEIVE_PAYLOAD)).isOne();
    }

    @Test
    void openAndCloseCostOneCallEach() {
        RpciClient rpci = open(HighBandwidthPolicy.AUTO);
        assertThat(host.calls().total()).isOne();
        assertThat(host.calls().of(MessageType.OPEN)).isOne();

        rpci.close();
        assertThat(host.calls().total()).isEqualTo(2);
        assertThat(host.calls().of(MessageType.CLOSE)).isOne();
    }

    @Test
    void recoveringFromAHostResetCostsThreeCallsMore() {
        RpciClient rpci = open(HighBandwidthPolicy.AUTO);
        host.resetHost();

        // SEND_SIZE refused, CLOSE of the dead channel (best effort), OPEN, then the round trip of 5
        assertThat(callsOf(rpci, c -> c.log("after reset"))).isEqualTo(3 + 5);
        assertThat(callsOf(rpci, c -> c.log("and then"))).isEqualTo(5);
        rpci.close();
    }
}
