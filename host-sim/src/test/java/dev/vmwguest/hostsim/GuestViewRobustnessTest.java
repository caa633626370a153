package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestReportSender.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reports the host cannot decode are accepted, recorded as typed errors and leave the previous facts alone. */
class GuestViewRobustnessTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final GuestReportSender guest = new GuestReportSender(host);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, type, payload hex, expected kind, expected offset
        "empty, 10, '', TRUNCATED, 0",
        "unknown union arm, 10, 00000004 00000001, BAD_VALUE, 0",
        "pointer flag 2, 10, 00000003 00000002, BAD_VALUE, 4",
        "17 NICs, 10, 00000003 00000001 00000011, LIMIT_EXCEEDED, 8",
        "MAC longer than 18, 10, 00000003 00000001 00000001 00000013, LIMIT_EXCEEDED, 12",
        "string past the end, 10, 00000003 00000001 00000001 00000011 3030, TRUNCATED, 16",
        "65 IPs on type 9, 9, 00000003 00000001 00000001 00000000 00000041, LIMIT_EXCEEDED, 16",
        "trailing bytes, 10, 00000003 00000000 00000000, TRAILING_BYTES, 8",
        "short detailed header, 11, 01000000, TRUNCATED, 4",
        "short V1 struct, 2, 01000000, TRUNCATED, 4",
        "packed disks announced but missing, 3, 02, TRUNCATED, 1",
        "type 0, 0, 00, UNKNOWN_TYPE, -1",
    })
    void aMalformedBinaryReportIsAcceptedAndRecorded(String name, int type, String payload,
            GuestInfoDecodeError.Kind kind, int offset) {
        assertThat(guest.setGuestInfo(type, hex(payload))).isEqualTo("1 ");

        assertThat(host.guest().decodeErrors()).singleElement().satisfies(error -> {
            assertThat(error.report()).isEqualTo("SetGuestInfo  " + type);
            assertThat(error.kind()).isEqualTo(kind);
            assertThat(error.offset()).isEqualTo(offset);
        });
    }

    @Test
    void aTruncatedReportKeepsThePreviousNetwork() {
        guest.send(GuestViewNicInfoTest.SECTION_2_5);
        // Every cut of the payload from its 5th byte on: 100 reports, as many errors as the view keeps.
        for (int length = 21; length < GuestViewNicInfoTest.SECTION_2_5.length; length++) {
            guest.send(Arrays.copyOf(GuestViewNicInfoTest.SECTION_2_5, length));
        }

        GuestView view = host.guest();
        assertThat(view.decodeErrors()).hasSize(100)
                .allSatisfy(e -> assertThat(e.kind()).isEqualTo(GuestInfoDecodeError.Kind.TRUNCATED));
        assertThat(view.network().orElseThrow().addresses()).extracting(Object::toString).containsExactly("10.0.0.5/24");
    }

    @Test
    void textThatDoesNotParseIsRecorded() {
        guest.text("SetGuestInfo  7 12.5");
        guest.text("SetGuestDiskInfo {\"disks\":[{\"name\":\"Lw==\",\"free\":\"x\",\"size\":\"1\"}]}");
        guest.text("SetGuestDiskInfo {\"disks\":[");
        guest.setGuestInfo(11, GuestViewFactsTest.osDetailed("x", "y", "prettyName='unterminated"));

        assertThat(host.guest().decodeErrors()).extracting(GuestInfoDecodeError::report, GuestInfoDecodeError::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("SetGuestInfo  7", GuestInfoDecodeError.Kind.MALFORMED_TEXT),
                        org.assertj.core.groups.Tuple.tuple("SetGuestDiskInfo", GuestInfoDecodeError.Kind.MALFORMED_TEXT),
                        org.assertj.core.groups.Tuple.tuple("SetGuestDiskInfo", GuestInfoDecodeError.Kind.MALFORMED_TEXT),
                        org.assertj.core.groups.Tuple.tuple("SetGuestInfo  11", GuestInfoDecodeError.Kind.MALFORMED_TEXT));
        assertThat(host.guest().uptime()).isEmpty();
        assertThat(host.guest().os().shortName()).as("the whole report is dropped").isEmpty();
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutExhaustingTheStack() {
        guest.text("SetGuestDiskInfo " + "[".repeat(5000));

        assertThat(host.guest().decodeErrors()).singleElement()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(GuestInfoDecodeError.Kind.LIMIT_EXCEEDED));
    }

    @Test
    void onlyTheNewestHundredErrorsAreKept() {
        for (int i = 0; i < 130; i++) {
            guest.text("SetGuestInfo  7 bad" + i);
        }

        assertThat(host.guest().decodeErrors()).hasSize(100).first()
                .satisfies(e -> assertThat(e.message()).contains("bad30"));
    }

    @Test
    void refusedTypesAreAnsweredWithAFailureAndIgnoredSoAGuestCanFallBack() {
        host.rpci().refuseGuestInfo(10, true).refuseGuestInfo(11, true).unknown("SetGuestDiskInfo", true);

        assertThat(guest.send(GuestViewNicInfoTest.SECTION_2_5)).isEqualTo("0 Unsupported guest info type");
        assertThat(guest.setGuestInfo(11, GuestViewFactsTest.osDetailed("a", "b", ""))).startsWith("0 ");
        assertThat(guest.text("SetGuestDiskInfo {\"disks\":[]}")).isEqualTo("0 Unknown command");
        assertThat(host.guest().network()).isEmpty();
        assertThat(host.guest().os().shortName()).isEmpty();
        assertThat(host.setGuestInfo(10)).isEmpty();

        assertThat(guest.setGuestInfo(9, GuestViewNicInfoTest.PAYLOAD)).isEqualTo("1 ");
        assertThat(host.guest().network().orElseThrow().reportType()).isEqualTo(9);

        host.rpci().refuseGuestInfo(10, false);
        assertThat(guest.send(GuestViewNicInfoTest.SECTION_2_5)).isEqualTo("1 ");
        assertThat(host.guest().network().orElseThrow().reportType()).isEqualTo(10);
    }
}
