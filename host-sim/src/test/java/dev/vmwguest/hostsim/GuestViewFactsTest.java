package dev.vmwguest.hostsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Host name, OS, uptime, build, disks and tools state in {@link SimulatedHost#guest()}. */
class GuestViewFactsTest {

    /** guest-info.md section 3.3's Ubuntu 22.04 example string. */
    static final String UBUNTU_DETAILS = "architecture='X86' bitness='64' distroAddlVersion='22.04.4 LTS (Jammy "
            + "Jellyfish)' distroName='Ubuntu' distroVersion='22.04' familyName='Linux' "
            + "kernelVersion='5.15.0-105-generic' prettyName='Ubuntu 22.04.4 LTS'";
    static final String UBUNTU_FULL = "Linux 5.15.0-105-generic Ubuntu 22.04.4 LTS Ubuntu 22.04 22.04.4 LTS "
            + "(Jammy Jellyfish)";

    private final SimulatedHost host = SimulatedHost.create();
    private final GuestReportSender guest = new GuestReportSender(host);

    /** The type 11 payload laid out as guest-info.md section 3.3's table says. */
    static byte[] osDetailed(String shortName, String fullName, String details) {
        byte[] text = details.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(648 + text.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0, 1);
        out.put(4, shortName.getBytes(StandardCharsets.US_ASCII));
        out.put(133, fullName.getBytes(StandardCharsets.US_ASCII));
        out.put(648, text);
        return out.array();
    }

    @Test
    void textTypesFillHostNameOsNamesUptimeAndBuild() {
        assertThat(guest.text("SetGuestInfo  1 web-01")).isEqualTo("1 ");
        assertThat(guest.text("SetGuestInfo  4 build-21581411")).isEqualTo("1 ");
        assertThat(guest.text("SetGuestInfo  5 " + UBUNTU_FULL)).isEqualTo("1 ");
        assertThat(guest.text("SetGuestInfo  6 ubuntu-64")).isEqualTo("1 ");
        assertThat(guest.send("SetGuestInfo  7 123456".getBytes(StandardCharsets.US_ASCII))).isEqualTo("1 ");

        GuestView view = host.guest();

        assertThat(view.hostName()).contains("web-01");
        assertThat(view.buildNumber()).contains("build-21581411");
        assertThat(view.os().fullName()).contains(UBUNTU_FULL);
        assertThat(view.os().shortName()).contains("ubuntu-64");
        assertThat(view.os().detailedData()).isEmpty();
        assertThat(view.uptime()).hasValue(123456);
        assertThat(view.uptimeDuration()).contains(Duration.ofMillis(1_234_560));
        assertThat(view.decodeErrors()).isEmpty();
    }

    @Test
    void theDetailedOsStructGivesShortAndFullNameAndEachDetail() {
        byte[] payload = osDetailed("ubuntu-64", UBUNTU_FULL, UBUNTU_DETAILS);
        assertThat(payload).hasSize(648 + UBUNTU_DETAILS.length() + 1);

        assertThat(guest.setGuestInfo(11, payload)).isEqualTo("1 ");

        GuestView.Os os = host.guest().os();
        assertThat(os.shortName()).contains("ubuntu-64");
        assertThat(os.fullName()).contains(UBUNTU_FULL);
        assertThat(os.detailedData()).contains(UBUNTU_DETAILS);
        assertThat(os.details()).containsExactly(
                org.assertj.core.api.Assertions.entry("architecture", "X86"),
                org.assertj.core.api.Assertions.entry("bitness", "64"),
                org.assertj.core.api.Assertions.entry("distroAddlVersion", "22.04.4 LTS (Jammy Jellyfish)"),
                org.assertj.core.api.Assertions.entry("distroName", "Ubuntu"),
                org.assertj.core.api.Assertions.entry("distroVersion", "22.04"),
                org.assertj.core.api.Assertions.entry("familyName", "Linux"),
                org.assertj.core.api.Assertions.entry("kernelVersion", "5.15.0-105-generic"),
                org.assertj.core.api.Assertions.entry("prettyName", "Ubuntu 22.04.4 LTS"));
    }

    @Test
    void escapedQuotesAndBackslashesInDetailsAreUnescaped() {
        guest.setGuestInfo(11, osDetailed("other6xlinux-64", "Linux 6.1", "prettyName='It\\'s a \\\\ test'"));

        assertThat(host.guest().os().details()).containsEntry("prettyName", "It's a \\ test");
    }

    @Test
    void theDiskJsonAsVmtoolsdFormatsItGivesMountPointsAndSizes() {
        String root = Base64.getEncoder().encodeToString("/".getBytes(StandardCharsets.UTF_8));
        String boot = Base64.getEncoder().encodeToString("/boot".getBytes(StandardCharsets.UTF_8));
        String json = "{\n\"version\":\"1\",\n\"disks\":[\n{\"name\":\"" + root + "\",\"free\":\"1000\",\"size\":\"5000\","
                + "\"fstype\":\"ext4\",\"devices\":[\"scsi0:0\"]},\n{\"name\":\"" + boot
                + "\",\"free\":\"7\",\"size\":\"9\"}\n]}";

        assertThat(guest.text("SetGuestDiskInfo " + json)).isEqualTo("1 ");

        assertThat(host.guest().disks()).containsExactly(
                new GuestView.Disk("/", 1000, 5000, Optional.of("ext4"), List.of("scsi0:0")),
                new GuestView.Disk("/boot", 7, 9, Optional.empty(), List.of()));
    }

    @Test
    void thePackedDiskFallbackOfTypeThreeIsDecodedWithItsTrailingZeros() {
        // guest-info.md 1.5: u8 count, 116-byte entries, two trailing zero bytes with a one-digit type.
        ByteBuffer packed = ByteBuffer.allocate(1 + 116 + 2).order(ByteOrder.LITTLE_ENDIAN);
        packed.put(0, (byte) 1).putLong(1, 1000).putLong(9, 5000).put(17, "/".getBytes(StandardCharsets.US_ASCII));

        assertThat(guest.setGuestInfo(3, packed.array())).isEqualTo("1 ");

        assertThat(host.guest().disks()).containsExactly(new GuestView.Disk("/", 1000, 5000, Optional.empty(),
                List.of()));
        assertThat(host.guest().decodeErrors()).isEmpty();
    }

    @Test
    void toolsAreRunningWhileAToolboxChannelIsAttachedAndShowTheirVersion() {
        RawGuest tclo = RawGuest.opened(host, RawGuest.TCLO | RawGuest.COOKIE);
        assertThat(host.guest().tools().running()).isFalse();
        assertThat(tclo.poll("")).isEqualTo("reset");
        assertThat(tclo.poll("OK ATR toolbox")).isNull();
        guest.text("tools.set.versiontype 12352 4");
        guest.text("tools.capability.statechange");

        GuestView.Tools tools = host.guest().tools();
        assertThat(tools.running()).isTrue();
        assertThat(tools.versionNumber()).hasValue(12352);
        assertThat(tools.version()).contains("12.2.0");
        assertThat(tools.unmanaged()).isFalse();
        assertThat(tools.installType()).hasValue(4);
        assertThat(tools.capabilities()).containsExactly("statechange");

        tclo.close();
        assertThat(host.guest().tools().running()).as("the channel is gone").isFalse();
    }

    @Test
    void anUnmanagedVersionHasNoVersionText() {
        guest.text("tools.set.version 2147483647");

        GuestView.Tools tools = host.guest().tools();
        assertThat(tools.unmanaged()).isTrue();
        assertThat(tools.version()).isEmpty();
        assertThat(tools.installType()).isEmpty();
    }

    @Test
    void theBroadcastIpIsThePrimaryAddress() {
        guest.text("info-set guestinfo.ip 10.0.0.5");

        assertThat(host.guest().primaryIp()).contains("10.0.0.5");
    }

    @Test
    void formatListsEveryFact() {
        guest.text("SetGuestInfo  1 web-01");
        guest.send(GuestViewNicInfoTest.SECTION_2_5);
        guest.setGuestInfo(11, osDetailed("ubuntu-64", UBUNTU_FULL, UBUNTU_DETAILS));

        assertThat(host.guest().format()).contains("  host name: web-01\n",
                "    nic 0 00:50:56:aa:bb:cc: 10.0.0.5/24\n", "  OS short name: ubuntu-64\n",
                "  tools: not running\n", "  uptime: (not reported)\n");
    }
}
