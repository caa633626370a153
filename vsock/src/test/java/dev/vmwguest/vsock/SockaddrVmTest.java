package dev.vmwguest.vsock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The address bytes of shared/protocol/transports.md section 1.1 (x86-64, little-endian). */
class SockaddrVmTest {

    @Test
    void theConnectAddressForCid0Port976MatchesTheFactSheet() {
        assertThat(Hex.of(SockaddrVm.encode(0, 976, ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo("28000000d00300000000000000000000");
    }

    @Test
    void theBindAddressForCidAnyPort1023MatchesTheFactSheet() {
        assertThat(Hex.of(SockaddrVm.encode(SockaddrVm.CID_ANY, 1023, ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo("28000000ff030000ffffffff00000000");
    }

    @Test
    void onABigEndianMachineEveryFieldIsBigEndian() {
        assertThat(Hex.of(SockaddrVm.encode(2, 976, ByteOrder.BIG_ENDIAN)))
                .isEqualTo("00280000000003d00000000200000000");
    }
}
