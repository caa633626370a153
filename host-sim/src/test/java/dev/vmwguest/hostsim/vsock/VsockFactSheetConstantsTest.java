package dev.vmwguest.hostsim.vsock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The vsock side's protocol constants against the fact sheets (listed in FactSheetCoverageTest's table). */
class VsockFactSheetConstantsTest {

    @Test
    void vsockConstantsAreTheFactSheetsValues() {
        // transports.md section 1.1 (GUESTRPC_RPCI/TCLO_VSOCK_LISTEN_PORT) and 1.3 (fields, types, packet kinds).
        assertThat(HostVsockStandIn.RPCI_PORT).isEqualTo(976);
        assertThat(HostVsockStandIn.TCLO_PORT).isEqualTo(975);
        assertThat(List.of(HostRpcPacket.FIELD_TYPE, HostRpcPacket.FIELD_PAYLOAD, HostRpcPacket.FIELD_FAST_CLOSE))
                .containsExactly(1, 2, 3);
        assertThat(List.of(DataMap.INT64, DataMap.STRING, DataMap.INT64_LIST, DataMap.STRING_LIST))
                .containsExactly(1, 2, 3, 4);
        assertThat(List.of(HostRpcPacket.DATA, HostRpcPacket.PING)).containsExactly(1L, 2L);
    }
}
