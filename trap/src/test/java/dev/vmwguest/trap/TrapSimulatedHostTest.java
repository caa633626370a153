package dev.vmwguest.trap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.hostsim.HostHighBandwidthMode;
import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** vmware-rpctool, unmodified, against the real SimulatedHost through the trap launcher. */
class TrapSimulatedHostTest {

    private static final Path RPCTOOL = TrapRpctoolTest.RPCTOOL;

    @BeforeAll
    static void requirements() {
        TrapRpctoolTest.requirements();
    }

    private static TrapResult<SimulatedHost> rpctool(SimulatedHost host, String request) {
        return TrapRpctoolTest.rpctool(host, request);
    }

    @Test
    void vmwareRpctoolAgainstTheSimulatedHost() {
        SimulatedHost host = SimulatedHost.create();
        assertThat(rpctool(host, "info-set guestinfo.k v").exitCode()).isZero();
        TrapResult<SimulatedHost> get = rpctool(host, "info-get guestinfo.k");
        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo("v\n");
        TrapResult<SimulatedHost> missing = rpctool(host, "info-get guestinfo.missing");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("No value found");
        TrapResult<SimulatedHost> log = rpctool(host, "log hello");
        assertThat(log.exitCode()).isZero();
        assertThat(log.trappedCalls()).isEqualTo(9); // GETVERSION x2, OPEN, SENDSIZE, HB-OUT, RECVSIZE, HB-IN, RECVSTATUS, CLOSE
        assertThat(String.valueOf(host.log())).contains("hello");
    }

    @Test
    void underTheTrapALowBandwidthOnlyHostCostsOneCallPerFourBytes() {
        SimulatedHost host = SimulatedHost.builder().highBandwidth(HostHighBandwidthMode.LOW_BANDWIDTH_ONLY).build();
        host.guestInfo().put("k", "0123456789");

        TrapResult<SimulatedHost> get = TrapLauncher.run(host, List.of(RPCTOOL.toString(), "info-get guestinfo.k"));

        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo("0123456789\n");
        assertThat(get.highBandwidthOut() + get.highBandwidthIn()).as("no HB on this host").isZero();
        // "info-get guestinfo.k" is 20 bytes (5 words), the reply "1 0123456789" 12 bytes (3 words).
        assertThat(host.calls().of(MessageType.SEND_PAYLOAD)).isEqualTo(5);
        assertThat(host.calls().of(MessageType.RECEIVE_PAYLOAD)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} bytes, {1}")
    @CsvSource({"1024, OFFERED", "1024, LOW_BANDWIDTH_ONLY", "65000, OFFERED", "65000, LOW_BANDWIDTH_ONLY"})
    void largeValuesRoundTripWithAndWithoutHighBandwidth(int size, HostHighBandwidthMode mode) {
        SimulatedHost host = SimulatedHost.builder().highBandwidth(mode).build();
        String value = "x".repeat(size - 1) + "!";

        assertThat(rpctool(host, "info-set guestinfo.big " + value).exitCode()).isZero();
        assertThat(host.guestInfo().get("guestinfo.big")).contains(value);
        TrapResult<SimulatedHost> get = rpctool(host, "info-get guestinfo.big");

        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo(value + "\n");
        assertThat(get.highBandwidthIn() > 0).isEqualTo(mode == HostHighBandwidthMode.OFFERED);
    }
}
