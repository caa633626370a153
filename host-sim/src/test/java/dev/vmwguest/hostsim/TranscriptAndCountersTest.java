package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.RegisterFrame;
import org.junit.jupiter.api.Test;

/** What tests can observe: counters by kind and the transcript (host-behaviour.md section 8). */
class TranscriptAndCountersTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void theTranscriptHoldsRegistersInAndOutAndTheHighBandwidthPayload() {
        RawGuest.oneShot(host, "log traced");

        assertThat(host.transcript().entries()).extracting(TranscriptEntry::kind).containsExactly(
                TranscriptEntry.Kind.LOW_BANDWIDTH, TranscriptEntry.Kind.LOW_BANDWIDTH,
                TranscriptEntry.Kind.HIGH_BANDWIDTH_OUT, TranscriptEntry.Kind.LOW_BANDWIDTH,
                TranscriptEntry.Kind.HIGH_BANDWIDTH_IN, TranscriptEntry.Kind.LOW_BANDWIDTH,
                TranscriptEntry.Kind.LOW_BANDWIDTH);
        TranscriptEntry out = host.transcript().entries().get(2);
        assertThat(out.payload()).asString().isEqualTo("log traced");
        assertThat(out.in().cx()).isEqualTo(10);
        assertThat(RegisterFrame.high16(out.out().bx())).isEqualTo(1);
        assertThat(host.transcript().format()).contains("MESSAGE OPEN", "HB out", "MESSAGE CLOSE");

        host.transcript().clear();
        assertThat(host.transcript().entries()).isEmpty();
    }

    @Test
    void countersSplitCallsByKindAndSubCommand() {
        RawGuest.oneShot(host, "log counted");
        host.call(new RegisterFrame().command(BackdoorCommand.GETVERSION));

        CallCounters.Snapshot snapshot = host.calls().snapshot();
        assertThat(snapshot.total()).isEqualTo(8);
        assertThat(snapshot.lowBandwidth()).isEqualTo(6);
        assertThat(snapshot.byType()).containsEntry(MessageType.OPEN, 1L).containsEntry(MessageType.SEND_SIZE, 1L)
                .containsEntry(MessageType.SEND_PAYLOAD, 0L).containsEntry(MessageType.CLOSE, 1L);
        assertThat(snapshot.rpciCommands()).containsEntry("log", 1L);

        host.calls().reset();
        assertThat(host.calls().total()).isZero();
    }

    @Test
    void aZeroCostHostKeepsNoTranscriptButStillCounts() {
        SimulatedHost bench = SimulatedHost.builder().zeroCost().build();
        RawGuest.oneShot(bench, "log fast");

        assertThat(bench.transcript().enabled()).isFalse();
        assertThat(bench.transcript().entries()).isEmpty();
        assertThat(bench.calls().total()).isEqualTo(7);
    }

    @Test
    void lowBandwidthCountsFollowTheFormula() {
        SimulatedHost lb = SimulatedHost.builder().highBandwidth(HostHighBandwidthMode.STRICT_LOW_BANDWIDTH).build();
        lb.guestInfo().put("foo", "bar");
        RawGuest.oneShot(lb, "info-get guestinfo.missing");

        // observed-clients.md: 18 calls with 2 GETVERSIONs, so 16 without: 5 + ceil(26/4) + ceil(16/4).
        assertThat(lb.calls().total()).isEqualTo(5 + 7 + 4);
    }
}
