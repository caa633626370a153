package dev.vmwguest.hostsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which fact-sheet statements (shared/protocol/) each test covers.
 *
 * <table>
 * <caption>Coverage</caption>
 * <tr><th>fact sheet, section: statement</th><th>tests</th></tr>
 * <tr><td>host-behaviour 1: eax not magic / unknown command: eax = 0xFFFFFFFF, rest unchanged</td>
 *     <td>HostFactsTest.anUnknownCommandSetsAxToAllOnesAndLeavesTheRestAlone, rawRegistersModeAnswersAWrongMagicAsNoBackdoor</td></tr>
 * <tr><td>host-behaviour 1.1: GETVERSION 6 / magic / type; GETTIME, GETTIMEFULL (ax stays magic),
 *     GETTIMEFULL_WITH_LAG and the 55, 46, 23 chain; GETBIOSUUID; GETMHZ; GETHWVERSION; GETMEMSIZE</td>
 *     <td>HostFactsTest (all), ObservedClientsTest.vmchecksTwoGetVersionFormsBothAnswerVersionSixAndEsx</td></tr>
 * <tr><td>host-behaviour 1.1: QEMU vmport profile (no MESSAGE)</td><td>HostFactsTest.theQemuProfileAnswersVersionButNotMessagesOrMhz</td></tr>
 * <tr><td>host-behaviour 1 / observed-clients: mask every field; garbage in edx.hi, esi, edi on OPEN, ebx on CLOSE/RECVSIZE</td>
 *     <td>ChannelTableTest.openIgnoresGarbageInDxHighEsiAndEdiAsVmtoolsdSendsThem, ObservedClientsTest.vmtoolsdsGarbageFilledRegistersAreMaskedOnEveryCall</td></tr>
 * <tr><td>host-behaviour 2: 128 channels (8 on old hosts), lowest free id, reuse with new cookies</td>
 *     <td>ChannelTableTest.theTableHolds128ChannelsAndTheNextOpenFails, olderHostsHaveEightChannels</td></tr>
 * <tr><td>host-behaviour 2: RPCI/TCLO numbers, other protocols refused; cookie flag: random cookies, not 0/0</td>
 *     <td>ChannelTableTest.openWithTheCookieFlag..., cookiesDifferFromChannelToChannel, unknownProtocolNumbersAreRefused</td></tr>
 * <tr><td>host-behaviour 2: cookie-required and no-cookie hosts; guestrpc-channel 4.1 fallback</td>
 *     <td>ChannelTableTest.aCookiesRequiredHost..., anOldHostRefusesTheCookieFlag..., ObservedClientsTest.aNoCookieFallbackGuest...</td></tr>
 * <tr><td>host-behaviour 2: wrong cookie / closed id fail without touching state, counted; CLOSED profile</td>
 *     <td>ChannelTableTest.aWrongCookieFailsWithoutTouchingTheChannel, closeAnswers..., aDeadChannelCanReportClosed..., ViolationTest.aClosedIdFails...</td></tr>
 * <tr><td>host-behaviour 3: every sub-command's happy path, LB and HB; HB cookie registers per direction</td>
 *     <td>MessageFlowTest (all), ViolationTest.highBandwidthCookiesAreCheckedInTheirDirectionSpecificRegisters</td></tr>
 * <tr><td>host-behaviour 3: violations: payload without size, past the size, RECVSIZE mid-send, RECVPAYLOAD/RECVSTATUS
 *     when idle, past the end, early ack, HB count mismatch, undefined type</td><td>ViolationTest (all)</td></tr>
 * <tr><td>host-behaviour 3: only the guest SUCCESS bit honoured; both error-ack forms</td>
 *     <td>ObservedClientsTest.onlyTheSuccessBitOfTheGuestsStatusWordsIsHonoured, theErrorAckAfterACompleteHighBandwidthReceiveIsAccepted</td></tr>
 * <tr><td>host-behaviour 3.1: cx = status &lt;&lt; 16, dx low 0 after OPEN, echo 1 / 2 in dx.hi</td>
 *     <td>ChannelTableTest.openWithTheCookieFlag..., closeAnswers..., MessageFlowTest.infoSetOverHighBandwidth..., ...LowBandwidth...</td></tr>
 * <tr><td>host-behaviour 3.2: HB profiles (default, LB-only, strict, encrypted memory)</td>
 *     <td>MessageFlowTest.aLowBandwidthOnlyHost..., anEncryptedMemoryHost..., infoSetOverLowBandwidth...</td></tr>
 * <tr><td>guestrpc-channel 5: 64 KiB guest message limit</td><td>MessageFlowTest.aMessageOf65536BytesIsAccepted...</td></tr>
 * <tr><td>guestrpc-channel 8 / observed-clients: call counts (7 HB, 5 + n/4 + r/4 LB, 10 without cookies)</td>
 *     <td>MessageFlowTest.infoSetOver..., TranscriptAndCountersTest.lowBandwidthCountsFollowTheFormula, ObservedClientsTest.aNoCookieFallbackGuest...</td></tr>
 * <tr><td>host-behaviour 4 / rpci 1.1: parsing, trailing NUL, NUL padding, trailing space, binary SetGuestInfo</td>
 *     <td>RpciCommandsTest.aTrailingNul..., aRequestNulPadded..., capabilities..., setGuestInfoWithTwoSpaces..., ObservedClientsTest.rpctoolsExactBytes...</td></tr>
 * <tr><td>host-behaviour 4: a new request before the reply was read drops it and counts</td>
 *     <td>ViolationTest.aSecondRequestBeforeTheReplyWasReadDropsTheFirstReplyAndCountsAViolation</td></tr>
 * <tr><td>rpci 1.2 / 2: Unknown command, No value found, Permission denied, info-set/get, log, version(type),
 *     capabilities, features, unified_loop, guest.log.state, machine.id.get, statechange, size limit</td><td>RpciCommandsTest (all)</td></tr>
 * <tr><td>tclo 1, 4 / host-behaviour 5.1-5.2: poll, reset first, ATR attach, one outstanding, order, lost reply,
 *     unsolicited ATR, app conflict, RPCI during TCLO</td><td>TcloQueueTest (all), ObservedClientsTest.vmtoolsdsStartupSequenceIsAccepted</td></tr>
 * <tr><td>host-behaviour 5.3: power operation completes on statechange RPCI</td><td>TcloQueueTest.aPowerOperationCompletes...</td></tr>
 * <tr><td>host-behaviour 6: host reset invalidates channels, next TCLO channel gets reset; checkpoint semantics</td>
 *     <td>TcloQueueTest.resetHostDropsEveryChannel..., FaultsTest.aCheckpoint...</td></tr>
 * <tr><td>host-behaviour 7: faults 1, 3, 4, 6, 8, 9, 10, 12, 13, 16, 18; invalid UTF-8</td><td>FaultsTest (all)</td></tr>
 * <tr><td>host-behaviour 8: counters by kind, sub-command, bytes, opens/closes, violations, checkpoints, RPCI names; transcript</td>
 *     <td>TranscriptAndCountersTest (all)</td></tr>
 * <tr><td>transports 1.3: DataMap framing, golden bytes, INT64 low word first and VGAuth's quirk, decoder
 *     errors (truncated, unknown type, duplicate field, empty string), 1 MiB cap</td>
 *     <td>DataMapTest (all), HostVsockStandInTest.aMalformedPacketClosesOnlyThatConnectionWithTheReason</td></tr>
 * <tr><td>transports 1.4: RPCI over vsock, payload-only replies, FAST_CLOSE, persistent connections;
 *     transports 1.2/1.8: privileged source port, EACCES then one unprivileged attempt,
 *     Permission denied, backdoor never privileged</td>
 *     <td>HostVsockStandInTest.rpciOverVsock..., secureRequestsAreRefused..., fastClose...,
 *     trap module: VsockVmtoolsdTest.vmtoolsdCmdAsRoot..., withoutPrivilegeItRetriesUnprivileged..., VsockShimTest (all)</td></tr>
 * <tr><td>transports 1.5: TCLO pushed on 975, reset first, one command at a time, heartbeat after the first
 *     reply; 3.1: vmware-rpctool backdoor only</td>
 *     <td>VsockTcloPushTest (all), trap module: VsockVmtoolsdTest (all)</td></tr>
 * <tr><td>issue #3: 32 threads x 1,000 round trips; provider never automatic; runnable user example</td>
 *     <td>ConcurrencyTest, ProviderTest, UserGuideExampleTest</td></tr>
 * <tr><td>guest-info 1.1-1.3, 1.5, 2.1-2.7, 3.1-3.4, 4.1: SetGuestInfo types, framing, NIC info XDR V3/V2
 *     (golden bytes of 2.5), V1 struct, OS detailed header, disk JSON and type 3, tools version, refusals</td>
 *     <td>GuestViewNicInfoTest, GuestViewFactsTest, GuestViewRobustnessTest, VmtoolsdGuestViewTest (all)</td></tr>
 * </table>
 */
class FactSheetCoverageTest {

    @Test
    void protocolConstantsAreTheFactSheetsValues() {
        // guestrpc-channel.md section 1: the numbers read as little-endian bytes spell the names.
        assertThat(MessageEngine.RPCI).isEqualTo(0x49435052);
        assertThat(MessageEngine.TCLO).isEqualTo(0x4F4C4354);
        assertThat(MessageEngine.COOKIE_FLAG).isEqualTo(0x80000000);
        // guestrpc-channel.md section 3.
        assertThat(List.of(MessageEngine.SUCCESS, MessageEngine.DORECV, MessageEngine.CLOSED, MessageEngine.CPT,
                MessageEngine.HB)).containsExactly(0x01, 0x02, 0x04, 0x10, 0x80);
        // guestrpc-channel.md section 2.
        assertThat(MessageType.values()).extracting(MessageType::code).containsExactly(0, 1, 2, 3, 4, 5, 6);
        // rpci.md section 1.2 (lower-case c) and observed-clients.md.
        assertThat(RpciEngine.UNKNOWN_COMMAND).isEqualTo("Unknown command");
        assertThat(RpciEngine.NO_VALUE).isEqualTo("No value found");
        // rpci.md section 1.2 / transports.md 1.8: what a caller refused by a secure rule sees.
        assertThat(RpciEngine.PERMISSION_DENIED).isEqualTo("Permission denied");
    }

    @Test
    void everyTestClassNamedInTheTableExists() throws ClassNotFoundException {
        for (String name : List.of("HostFactsTest", "ChannelTableTest", "MessageFlowTest", "ViolationTest",
                "ObservedClientsTest", "RpciCommandsTest", "TcloQueueTest", "FaultsTest", "TranscriptAndCountersTest",
                "ConcurrencyTest", "ProviderTest", "UserGuideExampleTest", "vsock.DataMapTest",
                "vsock.HostVsockStandInTest", "vsock.VsockTcloPushTest")) {
            assertThat(Class.forName("dev.vmwguest.hostsim." + name)).isNotNull();
        }
    }
}
