package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static dev.vmwguest.hostsim.RawGuest.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The host side of RPCI (rpci.md, host-behaviour.md section 4, observed-clients.md request forms). */
class RpciCommandsTest {

    private final SimulatedHost host = SimulatedHost.builder().machineId("vm-42").build();
    private final RawGuest g = RawGuest.opened(host, RPCI | COOKIE);

    private String rpci(byte[] request) {
        assertThat(g.send(request, false)).isEqualTo(SUCCESS);
        return new String(g.receive(false), StandardCharsets.UTF_8);
    }

    @Test
    void infoGetOfAMissingKeyAnswersNoValueFound() {
        assertThat(g.rpci("info-get guestinfo.missing")).isEqualTo("0 No value found");
    }

    @Test
    void infoSetStoresEverythingAfterTheKeysSpaceAndInfoGetReturnsIt() {
        assertThat(g.rpci("info-set guestinfo.motd hello  world ")).isEqualTo("1 ");
        assertThat(g.rpci("info-get guestinfo.motd")).isEqualTo("1 hello  world ");
        assertThat(host.guestInfo().asMap()).containsEntry("guestinfo.motd", "hello  world ");
    }

    @Test
    void infoSetWithATrailingSpaceStoresTheEmptyValueAsVmtoolsdDoesAtShutdown() {
        assertThat(g.rpci("info-set guestinfo.appInfo ")).isEqualTo("1 ");
        assertThat(host.guestInfo().get("appInfo")).contains("");
    }

    @Test
    void infoSetWithoutAValueIsRefused() {
        assertThat(g.rpci("info-set guestinfo.novalue")).isEqualTo("0 Two and exactly two arguments expected");
    }

    @Test
    void keysOutsideTheGuestNamespaceAreNotTheGuestsToReadOrWrite() {
        assertThat(g.rpci("info-get uuid.bios")).isEqualTo("0 Permission denied");
        assertThat(g.rpci("info-set isolation.tools.copy.disable FALSE")).isEqualTo("0 Permission denied");
        assertThat(g.rpci("info-set guestinfo./vmware.components.desired x")).isEqualTo("0 Permission denied");
    }

    @Test
    void presetValuesAreVisibleAndKeysMatchCaseInsensitively() {
        host.guestInfo().put("guestinfo.Role", "web");

        assertThat(g.rpci("info-get GuestInfo.role")).isEqualTo("1 web");
        assertThat(host.guestInfo().get("ROLE")).contains("web");
    }

    @Test
    void aTrailingNulIsNotPartOfTheRequest() {
        assertThat(rpci("info-set guestinfo.nul value\0".getBytes(StandardCharsets.US_ASCII))).isEqualTo("1 ");
        assertThat(host.guestInfo().get("nul")).contains("value");
    }

    @Test
    void aRequestNulPaddedToFourKilobytesAsOpenBsdSendsItWorks() {
        byte[] padded = Arrays.copyOf("info-get guestinfo.nul".getBytes(StandardCharsets.US_ASCII), 4096);
        host.guestInfo().put("nul", "padded");

        assertThat(rpci(padded)).isEqualTo("1 padded");
    }

    @Test
    void capabilitiesAreRecordedWithTheirArgumentsIncludingTheTrailingSpaceForm() {
        assertThat(g.rpci("tools.capability.statechange ")).isEqualTo("1 ");
        assertThat(g.rpci("tools.capability.hgfs_server toolbox 1")).isEqualTo("1 ");
        assertThat(g.rpci("tools.capability.features 36=0 37=1")).isEqualTo("1 ");

        assertThat(host.capabilities()).containsExactlyInAnyOrder("statechange", "hgfs_server", "features");
        assertThat(host.capability("statechange")).contains("");
        assertThat(host.capability("hgfs_server")).contains("toolbox 1");
        assertThat(host.features()).containsEntry(36, "0").containsEntry(37, "1");
    }

    @Test
    void logLinesAndTheToolsVersionAreRecorded() {
        assertThat(rpci("log toolbox: Version: 12.2.0\0".getBytes(StandardCharsets.US_ASCII))).isEqualTo("1 ");
        assertThat(g.rpci("tools.set.version 2147483647")).isEqualTo("1 ");

        assertThat(host.log()).containsExactly("toolbox: Version: 12.2.0");
        assertThat(host.toolsVersion()).contains("2147483647");
    }

    @Test
    void versionTypeIsKnownToCurrentHostsAndUnknownToOldOnes() {
        assertThat(g.rpci("tools.set.versiontype 12352 4")).isEqualTo("1 ");
        assertThat(host.toolsVersion()).contains("12352");
        assertThat(host.toolsVersionType()).contains("4");

        SimulatedHost old = SimulatedHost.builder().profile(HostProfile.OLD_ESX).build();
        assertThat(RawGuest.oneShot(old, "tools.set.versiontype 12352 4")).isEqualTo("0 Unknown command");
        assertThat(RawGuest.oneShot(old, "vmx.capability.unified_loop toolbox")).isEqualTo("0 Unknown command");
        assertThat(RawGuest.oneShot(old, "tools.set.version 12352")).isEqualTo("1 ");
    }

    @Test
    void unifiedLoopAndGuestLogStateAreAnswered() {
        assertThat(g.rpci("vmx.capability.unified_loop toolbox")).isEqualTo("1 ");
        assertThat(host.unifiedLoopApps()).containsExactly("toolbox");
        assertThat(g.rpci("guest.log.state")).isEqualTo("1 info");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no.such.command", "no.such.command ", "INFO-GET guestinfo.x", ""})
    void unknownCommandsGetTheHostsLowerCaseReply(String request) {
        assertThat(g.rpci(request)).isEqualTo("0 Unknown command");
    }

    @Test
    void setGuestInfoWithTwoSpacesRecordsTextAndBinaryData() {
        assertThat(rpci("SetGuestInfo  7 123456\0".getBytes(StandardCharsets.US_ASCII))).isEqualTo("1 ");
        assertThat(host.setGuestInfo(7)).hasValueSatisfying(
                v -> assertThat(new String(v, StandardCharsets.US_ASCII)).isEqualTo("123456"));

        byte[] binary = {'S', 'e', 't', 'G', 'u', 'e', 's', 't', 'I', 'n', 'f', 'o', ' ', ' ', '9', ' ', 0, 1, 0, 2};
        assertThat(rpci(binary)).isEqualTo("1 ");
        assertThat(host.setGuestInfo(9)).hasValue(new byte[] {0, 1, 0, 2});
    }

    @Test
    void machineIdGetAnswersTheConfiguredValueOrNoValue() {
        assertThat(g.rpci("machine.id.get")).isEqualTo("1 vm-42");
        assertThat(RawGuest.oneShot(SimulatedHost.create(), "machine.id.get")).startsWith("0 ");
    }

    @Test
    void otherReportsAreRecorded() {
        assertThat(g.rpci("update.tools.health normal")).isEqualTo("1 ");
        assertThat(g.rpci("SetGuestDiskInfo {\"disks\":[]}")).isEqualTo("1 ");
        assertThat(host.reports()).containsExactly("update.tools.health normal");
        assertThat(host.diskInfo()).contains("{\"disks\":[]}");
    }

    @Test
    void handlersOfOneselfGetTheArgumentBytesAndOverrideBuiltIns() {
        host.rpci().handle("my.cmd", args -> RpciResult.ok("got " + new String(args, StandardCharsets.UTF_8)));
        host.rpci().handle("log", args -> RpciResult.error("log is full"));

        assertThat(rpci("my.cmd a b\0".getBytes(StandardCharsets.US_ASCII))).isEqualTo("1 got a b");
        assertThat(g.rpci("my.cmd")).isEqualTo("1 got ");
        assertThat(g.rpci("log x")).isEqualTo("0 log is full");
        assertThat(host.calls().rpci("my.cmd")).isEqualTo(2);

        host.rpci().remove("log");
        assertThat(g.rpci("log x")).isEqualTo("1 ");
    }

    @Test
    void aThrowingHandlerIsAnsweredAsAFailureNotThrownIntoTheGuest() {
        host.rpci().handle("boom", args -> {
            throw new IllegalStateException("handler broke");
        });

        assertThat(g.rpci("boom")).isEqualTo("0 handler broke");
    }

    @Test
    void restrictedCommandsAnswerPermissionDenied() {
        host.rpci().deny("info-get", true);
        assertThat(g.rpci("info-get guestinfo.x")).isEqualTo("0 Permission denied");

        host.rpci().deny("info-get", false).unknown("log", true);
        assertThat(g.rpci("info-get guestinfo.x")).isEqualTo("0 No value found");
        assertThat(g.rpci("log x")).isEqualTo("0 Unknown command");
    }

    @Test
    void guestSetDataIsBoundedByTheSizeLimit() {
        SimulatedHost small = SimulatedHost.builder().guestInfoSizeLimit(40).build();

        assertThat(RawGuest.oneShot(small, "info-set guestinfo.a 0123456789")).isEqualTo("1 ");
        assertThat(RawGuest.oneShot(small, "info-set guestinfo.b 01234567890123456789")).startsWith("0 ");
        assertThat(RawGuest.oneShot(small, "info-set guestinfo.a 012345678901234567")).isEqualTo("1 ");
    }
}
