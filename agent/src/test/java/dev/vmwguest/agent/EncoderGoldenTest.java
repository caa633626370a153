package dev.vmwguest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes from guest-info.md section 2.5 (NIC info) and 3.3 (OS detailed). */
class EncoderGoldenTest {

    static GuestNic nic() throws Exception {
        return new GuestNic("eth0", "00:50:56:AA:BB:CC",
                List.of(new NicAddress(InetAddress.getByName("10.0.0.5"), 24)));
    }

    @Test
    void oneNicOneAddressNoRoutesNoDnsIsTheFactSheetsDump() throws Exception {
        byte[] message = GuestInfoMessages.binary(10, NicInfoEncoder.v3(
                new NetworkInfo(List.of(nic()), List.of(), null), NicInfoEncoder.MAX_IPS_V3));
        assertThat(message).hasSize(121);
        assertThat(HexFormat.of().formatHex(message)).isEqualTo(
                "536574477565737449" + "6e666f20203130"
                + "20" + "00000003" + "00000001" + "00000001" + "00000011"
                + "30303a35303a35363a61613a62623a6363" + "000000"
                + "00000001" + "00000001" + "00000004" + "0a000005" + "00000018" + "00000000" + "00000001"
                + "00000001" + "00000000".repeat(4) + "00000000" + "00000000".repeat(4));
    }

    @Test
    void dnsAndADefaultRouteAddTheFactSheetsBytes() throws Exception {
        InetAddress gw = InetAddress.getByName("10.0.0.1");
        NetworkInfo info = new NetworkInfo(List.of(nic()),
                List.of(new GuestRoute(InetAddress.getByName("0.0.0.0"), 0, gw, 0, 100)),
                new DnsConfig("appliance", "", List.of(gw), List.of()));
        String hex = HexFormat.of().formatHex(NicInfoEncoder.v3(info, NicInfoEncoder.MAX_IPS_V3));
        String nicPart = hex.substring(0, (0x65 - 0x11) * 2);
        assertThat(hex).isEqualTo(nicPart
                + "00000001" + "00000001" + "00000004" + "00000000" + "00000000"
                + "00000001" + "00000001" + "00000004" + "0a000001" + "00000000" + "00000000" + "00000064"
                + "00000001" + "00000001" + "00000009" + "6170706c69616e6365000000" + "00000001" + "00000000"
                + "00000001" + "00000001" + "00000004" + "0a000001" + "00000000"
                + "00000000".repeat(3));
    }

    @Test
    void theV2FallbackIs608BytesWithFourBytesPerCharacter() throws Exception {
        byte[] v2 = NicInfoEncoder.v2(new NetworkInfo(List.of(nic()), List.of(), null));
        assertThat(v2).hasSize(608);
        assertThat(HexFormat.of().formatHex(v2, 0, 16)).isEqualTo("00000002" + "00000001" + "00000001" + "00000030");
        // address family 0, dhcp 0, then "10.0.0.5" one character per 4-byte item
        int ip = 12 + 72 + 4;
        assertThat(HexFormat.of().formatHex(v2, ip, ip + 16)).isEqualTo("00000000" + "00000000" + "00000031" + "00000030");
        assertThat(HexFormat.of().formatHex(v2, ip + 8 + 256, ip + 8 + 264)).isEqualTo("00000032" + "00000034");
    }

    @Test
    void theV1FallbackIsThePackedLittleEndianStruct() throws Exception {
        NetworkInfo info = new NetworkInfo(List.of(new GuestNic("eth0", "00:50:56:aa:bb:cc", List.of(
                new NicAddress(InetAddress.getByName("fd00::2"), 64),
                new NicAddress(InetAddress.getByName("10.0.0.5"), 24)))), List.of(), null);
        byte[] v1 = NicInfoEncoder.v1(info);
        assertThat(v1).hasSize(2436);
        assertThat(HexFormat.of().formatHex(v1, 0, 8)).isEqualTo("01000000" + "01000000");
        assertThat(new String(v1, 8, 17, StandardCharsets.US_ASCII)).isEqualTo("00:50:56:aa:bb:cc");
        assertThat(new String(v1, 4 + 23, 8, StandardCharsets.US_ASCII)).as("IPv4 packed into slot 0")
                .isEqualTo("10.0.0.5");
    }

    @Test
    void osDetailedHeaderIs648BytesThenTheStringAndANul() {
        String detailed = "architecture='X86' bitness='64' distroAddlVersion='22.04.4 LTS (Jammy Jellyfish)'"
                + " distroName='Ubuntu' distroVersion='22.04' familyName='Linux' kernelVersion='5.15.0-105-generic'"
                + " prettyName='Ubuntu 22.04.4 LTS'";
        OsIdentity os = OsDetector.detect("PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
                + "VERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nID=ubuntu\n", "Linux", "5.15.0-105-generic", "amd64");
        assertThat(os.detailedData()).isEqualTo(detailed);
        assertThat(os.shortName()).isEqualTo("ubuntu-64");
        assertThat(os.fullName()).isEqualTo(
                "Linux 5.15.0-105-generic Ubuntu 22.04.4 LTS Ubuntu 22.04 22.04.4 LTS (Jammy Jellyfish)");
        byte[] payload = os.detailedPayload();
        assertThat(payload).hasSize(648 + detailed.length() + 1);
        assertThat(HexFormat.of().formatHex(payload, 0, 4)).isEqualTo("01000000");
        assertThat(new String(payload, 4, 9, StandardCharsets.US_ASCII)).isEqualTo("ubuntu-64");
        assertThat(payload[4 + 9]).isZero();
        assertThat(new String(payload, 133, os.fullName().length(), StandardCharsets.US_ASCII)).isEqualTo(os.fullName());
        assertThat(payload[646]).isZero();
        assertThat(payload[647]).isZero();
        assertThat(new String(payload, 648, detailed.length(), StandardCharsets.US_ASCII)).isEqualTo(detailed);
        assertThat(payload[payload.length - 1]).isZero();
        assertThat(GuestInfoMessages.binary(11, payload)).startsWith("SetGuestInfo  11 ".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void unknownDistributionsGetTheKernelBasedIdAndQuotesAreEscaped() {
        OsIdentity os = OsDetector.detect("NAME=\"Acme's \\appliance\"\n", "Linux", "6.1.0", "amd64");
        assertThat(os.shortName()).isEqualTo("other6xlinux-64");
        assertThat(os.detailedData()).contains("distroName='Acme\\'s \\\\appliance'");
        assertThat(OsDetector.detect(null, "Linux", "7.2.1", "aarch64").shortName()).isEqualTo("arm-other5xlinux-64");
        assertThat(OsDetector.detect(null, "Linux", "7.2.1", "amd64").fullName()).isEqualTo("Linux 7.2.1 Other Linux 7.2 kernel");
        assertThat(OsDetector.detect("NAME=Debian\nVERSION_ID=3\n", "Linux", "2.4.0", "x86").shortName()).isEqualTo("debian4");
    }

    @Test
    void ipv6TextFormsFollowInetNtop() throws Exception {
        assertThat(AddressText.of(InetAddress.getByName("fd00:0:0:0:0:0:0:2"))).isEqualTo("fd00::2");
        assertThat(AddressText.of(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(AddressText.of(InetAddress.getByName("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(AddressText.of(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void diskFreeSpaceIsTheCountThePackedEntriesAndVmtoolsdsTwoSpareBytes() {
        byte[] request = GuestInfoMessages.diskFreeSpace(List.of(new DiskUsage("/", 0x0102, 0x0A0B0C, "ext4")));
        byte[] preamble = "SetGuestInfo  3 ".getBytes(StandardCharsets.US_ASCII);
        assertThat(request).hasSize(18 + 1 + 116).startsWith(preamble);
        byte[] entry = new byte[116 + 2];
        entry[0] = 0x02;
        entry[1] = 0x01;
        entry[8] = 0x0C;
        entry[9] = 0x0B;
        entry[10] = 0x0A;
        entry[16] = '/';
        byte[] expected = new byte[1 + entry.length];
        expected[0] = 1;
        System.arraycopy(entry, 0, expected, 1, entry.length);
        assertThat(java.util.Arrays.copyOfRange(request, preamble.length, request.length)).containsExactly(expected);
    }
}
