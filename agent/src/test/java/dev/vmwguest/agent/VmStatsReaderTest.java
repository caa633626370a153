package dev.vmwguest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VmStatsReaderTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final List<String> requests = new ArrayList<>();

    /** A version 3 reply as guest-info.md 6.3 lays it out: LE header, XDR stats 1..n; stat 13 not valid. */
    static byte[] v3(long session, int count) {
        ByteBuffer xdr = ByteBuffer.allocate(4096).order(ByteOrder.BIG_ENDIAN);
        xdr.putInt(count);
        for (int id = 1; id <= count; id++) {
            xdr.putInt(id).putInt(id == 13 ? 0 : 1);
            switch (id) {
                case 4, 17, 19, 20, 22, 23, 24, 25, 26, 27, 28, 29, 30, 38 -> xdr.putLong(1_000_000_000_000L + id);
                case 18, 37 -> {
                    byte[] path = "/pool/a".getBytes(StandardCharsets.US_ASCII);
                    xdr.putInt(path.length).put(path).put(new byte[1]);
                }
                default -> xdr.putInt(id * 100);
            }
        }
        ByteBuffer reply = ByteBuffer.allocate(16 + xdr.position()).order(ByteOrder.LITTLE_ENDIAN);
        reply.putInt(3).putLong(session).putInt(xdr.position()).put(xdr.array(), 0, xdr.position());
        return reply.array();
    }

    static byte[] v2(long session) {
        ByteBuffer b = ByteBuffer.allocate(669).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2).putLong(session);
        for (int id = 1; id <= 17; id++) {
            b.put((byte) 1).put(new byte[3]);
            if (id == 4 || id == 17) {
                b.putLong(5_000_000_000L + id);
            } else {
                b.putInt(id * 10);
            }
        }
        b.put((byte) 1).put("/v2pool".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private RpciClient hostAnswering(java.util.function.Function<String, RpciResult> answer) {
        host.rpci().handle("guestlib.info.get", args -> {
            String version = new String(args, StandardCharsets.US_ASCII).trim();
            requests.add(version);
            return answer.apply(version);
        });
        return RpciClient.open(TransportSelector.over(host));
    }

    @Test
    void version3IsTypedWithUnitsAndInvalidStatsAreAbsent() {
        try (RpciClient rpci = hostAnswering(v -> RpciResult.ok(v3(42, 38)))) {
            VmStats stats = VmStatsReader.over(rpci).read();
            assertThat(stats.version()).isEqualTo(3);
            assertThat(stats.sessionId()).isEqualTo(42);
            assertThat(stats.hostCpuMhz()).hasValue(500);
            assertThat(VmStat.HOST_CPU_SPEED.unit()).isEqualTo(VmStat.Unit.MHZ);
            assertThat(stats.memoryBalloonedMb()).hasValue(1200);
            assertThat(stats.memorySwappedMb()).isEmpty();
            assertThat(stats.value(VmStat.ELAPSED)).hasValue(1_000_000_000_017L);
            assertThat(stats.text(VmStat.RESOURCE_POOL_PATH)).contains("/pool/a");
            assertThat(stats.value(VmStat.MEM_SHARES_64)).hasValue(1_000_000_000_038L);
            assertThat(requests).containsExactly("3");
        }
    }

    @Test
    void aRefusedVersion3FallsBackTo2() {
        try (RpciClient rpci = hostAnswering(v -> v.equals("3") ? RpciResult.error("Unsupported version")
                : RpciResult.ok(v2(7)))) {
            VmStats stats = VmStatsReader.over(rpci).read();
            assertThat(stats.version()).isEqualTo(2);
            assertThat(stats.cpuLimitMhz()).hasValue(20);
            assertThat(stats.value(VmStat.CPU_USED)).hasValue(5_000_000_004L);
            assertThat(stats.value(VmStat.ELAPSED)).hasValue(5_000_000_017L);
            assertThat(stats.text(VmStat.RESOURCE_POOL_PATH)).contains("/v2pool");
            assertThat(requests).containsExactly("3", "2");
        }
    }

    @Test
    void aSessionChangeIsReportedOnceAndRenegotiatesFrom3() {
        AtomicLong session = new AtomicLong(1);
        try (RpciClient rpci = hostAnswering(v -> v.equals("3") ? RpciResult.error("no")
                : RpciResult.ok(v2(session.get())))) {
            VmStatsReader reader = VmStatsReader.over(rpci);
            assertThat(reader.read().sessionChanged()).isFalse();
            assertThat(reader.read().sessionChanged()).isFalse();
            session.set(2);   // vMotion
            assertThat(reader.read().sessionChanged()).isTrue();
            assertThat(reader.read().sessionChanged()).isFalse();
            assertThat(requests).containsExactly("3", "2", "2", "2", "3", "2");
        }
    }

    @Test
    void disabledGuestlibAndMalformedRepliesAreTypedErrors() {
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            assertThatThrownBy(() -> VmStatsReader.over(rpci).read()).isInstanceOf(VmStatsException.class)
                    .hasMessageContaining("not enabled");
        }
        assertThatThrownBy(() -> VmStatsReader.parseV3(java.util.Arrays.copyOf(v3(1, 38), 40)))
                .isInstanceOf(VmStatsException.class);
        byte[] gap = v3(1, 3);
        gap[16 + 4 + 12 + 3] = 9;   // the low byte of stat 2's id
        assertThatThrownBy(() -> VmStatsReader.parseV3(gap)).hasMessageContaining("expected");
        assertThatThrownBy(() -> VmStatsReader.parseV2(new byte[668])).hasMessageContaining("not 669");
    }
}
