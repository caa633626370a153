package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.HostProfile;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** log and the tools commands, checked by what the simulated host recorded. */
class ToolsCommandsHostTest {

    private final SimulatedHost host = SimulatedHost.builder().machineId("vm-42").build();
    private final RpciClient rpci = RpciClient.open(TransportSelector.over(host));

    @AfterEach
    void closeClient() {
        rpci.close();
    }

    @Test
    void logLinesAppearInTheVmsLogInOrderAndVerbatim() {
        rpci.log("agent started");
        rpci.log("  spaces kept, caf\u00e9 \ud83d\ude80 ");
        rpci.log("");

        assertThat(host.log()).containsExactly("agent started", "  spaces kept, caf\u00e9 \ud83d\ude80 ", "");
        assertThat(host.calls().rpci("log")).isEqualTo(3);
    }

    @Test
    void theToolsVersionIsRecordedAsSent() {
        rpci.tools().setVersion(RpciCommands.encodeToolsVersion(13, 1, 0));
        assertThat(host.toolsVersion()).contains("13344");

        rpci.tools().setVersion(RpciCommands.TOOLS_VERSION_UNMANAGED);
        assertThat(host.toolsVersion()).contains("2147483647");
        assertThat(host.toolsVersionType()).isEmpty();
        assertThat(host.calls().rpci("tools.set.version")).isEqualTo(2);
    }

    @Test
    void aNegativeToolsVersionIsRefusedBeforeAnyBackdoorCall() {
        long before = host.calls().total();

        assertThatThrownBy(() -> rpci.tools().setVersion(-1)).isInstanceOf(IllegalArgumentException.class);

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(host.toolsVersion()).isEmpty();
    }

    @Test
    void theVersionWithItsInstallTypeIsRecordedOnACurrentHost() {
        rpci.tools().setVersion(13344, ToolsInstallType.OPEN_VM_TOOLS);

        assertThat(host.toolsVersion()).contains("13344");
        assertThat(host.toolsVersionType()).contains("4");
        assertThat(host.calls().rpci("tools.set.versiontype")).isEqualTo(1);
        assertThat(host.calls().rpci("tools.set.version")).isZero();
    }

    @Test
    void anOldHostWithoutVersionTypeGetsThePlainVersionAsVmtoolsdFallsBack() {
        SimulatedHost old = SimulatedHost.builder().profile(HostProfile.OLD_ESX).build();
        RpciClient client = RpciClient.open(TransportSelector.over(old));
        try {
            client.tools().setVersion(13344, ToolsInstallType.OPEN_VM_TOOLS);
        } finally {
            client.close();
        }

        assertThat(old.toolsVersion()).contains("13344");
        assertThat(old.toolsVersionType()).isEmpty();
        assertThat(old.calls().rpci("tools.set.versiontype")).isEqualTo(1);
        assertThat(old.calls().rpci("tools.set.version")).isEqualTo(1);
    }

    @Test
    void capabilitiesAreRegisteredWithAndWithoutValues() {
        rpci.tools().registerCapability("statechange");
        rpci.tools().registerCapability("softpowerop_retry");
        rpci.tools().registerCapability("hgfs_server", "toolbox 1");

        assertThat(host.capabilities()).containsExactlyInAnyOrder("statechange", "softpowerop_retry", "hgfs_server");
        assertThat(host.capability("statechange")).contains("");
        assertThat(host.capability("hgfs_server")).contains("toolbox 1");
    }

    @Test
    void aCapabilityNameThatIsNotOneWordIsRefusedBeforeAnyBackdoorCall() {
        long before = host.calls().total();

        assertThatThrownBy(() -> rpci.tools().registerCapability("state change"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rpci.tools().registerCapability(""))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(host.calls().total()).isEqualTo(before);
        assertThat(host.capabilities()).isEmpty();
    }

    @Test
    void newStyleFeaturesAreSentByIndex() {
        rpci.tools().registerFeatures(Map.of(37, 1, 36, 0));

        assertThat(host.features()).containsExactlyEntriesOf(Map.of(36, "0", 37, "1"));
        assertThat(host.capability("features")).contains("36=0 37=1");
    }

    @Test
    void theUnifiedLoopAppIsAnnounced() {
        rpci.tools().setUnifiedLoop("toolbox");

        assertThat(host.unifiedLoopApps()).containsExactly("toolbox");
    }

    @Test
    void theMachineIdIsTheHostsConfiguredValue() {
        assertThat(rpci.tools().machineId()).contains("vm-42");
        assertThat(host.calls().rpci("machine.id.get")).isEqualTo(1);
    }

    @Test
    void anUnsetMachineIdIsEmptyARestrictedOneIsPermissionDeniedAndAnUnknownCommandIsAnError() {
        SimulatedHost bare = SimulatedHost.create();
        RpciClient client = RpciClient.open(TransportSelector.over(bare));
        try {
            assertThat(client.tools().machineId()).isEmpty();

            bare.rpci().deny("machine.id.get", true);
            assertThatThrownBy(() -> client.tools().machineId())
                    .isInstanceOfSatisfying(RpciPermissionDeniedException.class,
                            e -> assertThat(e.command()).isEqualTo("machine.id.get"));

            bare.rpci().deny("machine.id.get", false).unknown("machine.id.get", true);
            assertThatThrownBy(() -> client.tools().machineId())
                    .isInstanceOfSatisfying(RpciException.class, e -> assertThat(e.isUnknownCommand()).isTrue());
        } finally {
            client.close();
        }
    }

    @Test
    void guestFactsAreReportedWithSetGuestInfo() {
        rpci.tools().reportGuestInfo(GuestInfoType.DNS_NAME, "web-01.example.com");
        rpci.tools().reportGuestInfo(GuestInfoType.UPTIME, "123456");
        rpci.tools().reportGuestInfo(GuestInfoType.OS_NAME_FULL, "Debian GNU/Linux 12 (bookworm)");

        assertThat(text(host.setGuestInfo(1).orElseThrow())).isEqualTo("web-01.example.com");
        assertThat(text(host.setGuestInfo(7).orElseThrow())).isEqualTo("123456");
        assertThat(text(host.setGuestInfo(5).orElseThrow())).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(host.calls().rpci("SetGuestInfo")).isEqualTo(3);
    }

    @Test
    void aSetGuestInfoTheHostDidNotStoreIsThrown() {
        host.rpci().handle("SetGuestInfo", args -> RpciResult.ok("not updated"));

        assertThatThrownBy(() -> rpci.tools().reportGuestInfo(GuestInfoType.DNS_NAME, "web-01"))
                .isInstanceOfSatisfying(RpciException.class, e -> {
                    assertThat(e.command()).isEqualTo("SetGuestInfo");
                    assertThat(e.reason()).isEqualTo("not updated");
                });
    }

    @Test
    void powerOperationOutcomesAreReportedWithStateIds() {
        rpci.tools().reportPowerOperation(true, PowerState.REBOOT);
        rpci.tools().reportPowerOperation(false, PowerState.HALT);
        rpci.tools().reportPowerOperation(true, PowerState.SUSPEND);

        assertThat(host.reports()).containsExactly("tools.os.statechange.status 1 2",
                "tools.os.statechange.status 0 1", "tools.os.statechange.status 1 5");
    }

    @Test
    void everyPowerStateHasTheFactSheetsId() {
        // rpci.md section 2.5: 1 halt, 2 reboot, 3 power-on, 4 resume, 5 suspend (GuestOsState)
        for (PowerState state : PowerState.values()) {
            rpci.tools().reportPowerOperation(true, state);
        }

        assertThat(host.reports()).isEqualTo(List.of("tools.os.statechange.status 1 1",
                "tools.os.statechange.status 1 2", "tools.os.statechange.status 1 3",
                "tools.os.statechange.status 1 4", "tools.os.statechange.status 1 5"));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
