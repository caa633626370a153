package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestReportSender.concat;
import static dev.vmwguest.hostsim.GuestReportSender.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** NIC reports decoded into {@link SimulatedHost#guest()}: the golden bytes of guest-info.md section 2.5, V2 and V1. */
class GuestViewNicInfoTest {

    /** guest-info.md section 2.5, "Full dump": 121 bytes, preamble included. */
    static final byte[] SECTION_2_5 = hex("""
            0000  53 65 74 47 75 65 73 74 49 6e 66 6f 20 20 31 30
            0010  20 00 00 00 03 00 00 00 01 00 00 00 01 00 00 00
            0020  11 30 30 3a 35 30 3a 35 36 3a 61 61 3a 62 62 3a
            0030  63 63 00 00 00 00 00 00 01 00 00 00 01 00 00 00
            0040  04 0a 00 00 05 00 00 00 18 00 00 00 00 00 00 00
            0050  01 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00
            0060  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            0070  00 00 00 00 00 00 00 00 00
            """);
    /** The same NIC's payload, without the 17-byte preamble. */
    static final byte[] PAYLOAD = Arrays.copyOfRange(SECTION_2_5, 17, SECTION_2_5.length);

    private final SimulatedHost host = SimulatedHost.create();
    private final GuestReportSender guest = new GuestReportSender(host);

    private static void assertTheSectionNic(GuestNetwork network) {
        assertThat(network.nics()).singleElement().satisfies(nic -> {
            assertThat(nic.macAddress()).isEqualTo("00:50:56:aa:bb:cc");
            assertThat(nic.addresses()).containsExactly(new GuestNetwork.Address("10.0.0.5", 1, OptionalInt.of(24),
                    OptionalInt.empty(), OptionalInt.of(1), Optional.empty()));
            assertThat(nic.dns()).isEmpty();
            assertThat(nic.winsServers()).isEmpty();
            assertThat(nic.dhcpV4()).isEmpty();
        });
        assertThat(network.routes()).isEmpty();
        assertThat(network.dns()).isEmpty();
    }

    @Test
    void theSectionTwoFiveMessageShowsOneNicWithItsAddressAndPrefix() {
        assertThat(SECTION_2_5).hasSize(121);
        assertThat(guest.send(SECTION_2_5)).isEqualTo("1 ");

        GuestView view = host.guest();

        assertThat(view.decodeErrors()).isEmpty();
        assertThat(view.network()).hasValueSatisfying(network -> {
            assertThat(network.reportType()).isEqualTo(10);
            assertThat(network.version()).isEqualTo(3);
            assertTheSectionNic(network);
        });
        assertThat(view.network().orElseThrow().addresses()).extracting(Object::toString).containsExactly("10.0.0.5/24");
    }

    @Test
    void theSamePayloadAsTypeNineIsTheSameNetwork() {
        assertThat(guest.setGuestInfo(9, PAYLOAD)).isEqualTo("1 ");

        GuestNetwork network = host.guest().network().orElseThrow();
        assertThat(network.reportType()).isEqualTo(9);
        assertTheSectionNic(network);
    }

    @Test
    void whatRealVmtoolsdAddsTopLevelDnsAndADefaultRouteIsDecoded() {
        // guest-info.md 2.5 "What real vmtoolsd adds": the routes count at 0x65 and the DNS flag at 0x69 replaced.
        byte[] route = hex("00000001" + "00000001 00000004 00000000" + "00000000"
                + "00000001 00000001 00000004 0a000001" + "00000000" + "00000000" + "00000064");
        byte[] dns = hex("00000001" + "00000001 00000009 6170706c69616e6365000000" + "00000001 00000000"
                + "00000001 00000001 00000004 0a000001" + "00000000");
        byte[] message = concat(Arrays.copyOfRange(SECTION_2_5, 0, 0x65), route, dns, new byte[12]);

        assertThat(guest.send(message)).isEqualTo("1 ");

        GuestNetwork network = host.guest().network().orElseThrow();
        assertThat(host.guest().decodeErrors()).isEmpty();
        assertThat(network.routes()).containsExactly(
                new GuestNetwork.Route("0.0.0.0", 0, Optional.of("10.0.0.1"), 0, 0, 100));
        assertThat(network.dns()).contains(new GuestNetwork.Dns(Optional.of("appliance"), Optional.of(""),
                List.of("10.0.0.1"), List.of()));
    }

    @Test
    void ipv6AddressesAreShownInTheirShortForm() {
        byte[] ipv6 = hex("00000002 00000010 fe800000000000000250 56fffeaabbcc 00000040 00000000 00000001 00000005");
        byte[] message = concat(Arrays.copyOfRange(SECTION_2_5, 0, 0x35), hex("00000002"),
                Arrays.copyOfRange(SECTION_2_5, 0x39, 0x55), ipv6, Arrays.copyOfRange(SECTION_2_5, 0x55, 121));

        assertThat(guest.send(message)).isEqualTo("1 ");

        assertThat(host.guest().network().orElseThrow().addresses()).extracting(Object::toString)
                .containsExactly("10.0.0.5/24", "fe80::250:56ff:feaa:bbcc/64");
    }

    /** The V2 form of the section 2.5 NIC (guest-info.md 2.7): fixed chars as 4-byte items, 608 bytes. */
    static byte[] v2Payload() {
        ByteBuffer out = ByteBuffer.allocate(608);
        out.putInt(2).putInt(1).putInt(1);
        chars(out, "00:50:56:aa:bb:cc", 18);
        out.putInt(1).putInt(0).putInt(0);
        chars(out, "10.0.0.5", 64);
        chars(out, "24", 64);
        return out.array();
    }

    private static void chars(ByteBuffer out, String text, int size) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            out.putInt(i < bytes.length ? bytes[i] : 0);
        }
    }

    @Test
    void aVersionTwoGuestNicListIsDecodedWithItsTextAddressAndPrefix() {
        assertThat(guest.setGuestInfo(9, v2Payload())).isEqualTo("1 ");

        GuestNetwork network = host.guest().network().orElseThrow();
        assertThat(host.guest().decodeErrors()).isEmpty();
        assertThat(network.version()).isEqualTo(2);
        assertThat(network.nics()).singleElement().satisfies(nic -> {
            assertThat(nic.macAddress()).isEqualTo("00:50:56:aa:bb:cc");
            assertThat(nic.addresses()).containsExactly(new GuestNetwork.Address("10.0.0.5", 1, OptionalInt.of(24),
                    OptionalInt.empty(), OptionalInt.empty(), Optional.of(false)));
        });
    }

    @Test
    void theVersionOneStructShowsTheCountedSlotsWithoutAPrefixAndIgnoresTheGarbageBeyond() {
        // guest-info.md 2.7: u32 count, 16 x 152-byte entries. vmtoolsd does not clear the struct
        // (guestInfoServer.c:1179), so slots past numIPs and entries past the count hold junk.
        ByteBuffer v1 = ByteBuffer.allocate(NicInfoV1Decoder.STRUCT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        new java.util.Random(18).nextBytes(v1.array());
        v1.putInt(0, 1).putInt(4, 2);
        v1.put(8, "00:50:56:aa:bb:cc\0".getBytes(StandardCharsets.US_ASCII));
        v1.put(8 + 19, "10.0.0.5\0".getBytes(StandardCharsets.US_ASCII));
        v1.put(8 + 19 + 16, "192.168.1.9\0".getBytes(StandardCharsets.US_ASCII));

        assertThat(guest.setGuestInfo(2, v1.array())).isEqualTo("1 ");

        GuestNetwork network = host.guest().network().orElseThrow();
        assertThat(host.guest().decodeErrors()).isEmpty();
        assertThat(network.version()).isEqualTo(1);
        assertThat(network.nics()).singleElement().satisfies(nic -> {
            assertThat(nic.macAddress()).isEqualTo("00:50:56:aa:bb:cc");
            assertThat(nic.addresses()).extracting(Object::toString).containsExactly("10.0.0.5", "192.168.1.9");
        });
    }

    @Test
    void aLaterReportReplacesTheEarlierNetwork() {
        guest.setGuestInfo(9, v2Payload());
        guest.send(SECTION_2_5);

        assertThat(host.guest().network().orElseThrow().reportType()).isEqualTo(10);
    }
}
