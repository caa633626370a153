package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.rpci.PowerState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden table: wire strings from shared/protocol/tclo.md sections 5 and 5.1 (and OpenBSD's list of real host commands). */
class TcloCommandTest {

    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of("reset", new TcloCommand.Reset()),
                Arguments.of("ping", new TcloCommand.Ping()),
                Arguments.of("Capabilities_Register", new TcloCommand.CapabilitiesRegister()),
                Arguments.of("Set_Option synctime 1", new TcloCommand.SetOption("synctime", "1")),
                Arguments.of("Set_Option synctime.period 0", new TcloCommand.SetOption("synctime.period", "0")),
                Arguments.of("Set_Option time.synchronize.tools.enable 1",
                        new TcloCommand.SetOption("time.synchronize.tools.enable", "1")),
                Arguments.of("Set_Option guestLogLevel message with spaces",
                        new TcloCommand.SetOption("guestLogLevel", "message with spaces")),
                Arguments.of("OS_Halt", new TcloCommand.PowerOperation(PowerState.HALT)),
                Arguments.of("OS_Reboot", new TcloCommand.PowerOperation(PowerState.REBOOT)),
                Arguments.of("OS_PowerOn", new TcloCommand.PowerOperation(PowerState.POWER_ON)),
                Arguments.of("OS_Resume", new TcloCommand.PowerOperation(PowerState.RESUME)),
                Arguments.of("OS_Suspend", new TcloCommand.PowerOperation(PowerState.SUSPEND)),
                Arguments.of("Time_Synchronize 0", new TcloCommand.TimeSynchronize(false)),
                Arguments.of("Time_Synchronize 1", new TcloCommand.TimeSynchronize(true)),
                Arguments.of("TimeInfo_Update", new TcloCommand.TimeInfoUpdate()),
                Arguments.of("vmbackup.start", new TcloCommand.BackupStart(false, List.of())),
                Arguments.of("vmbackup.start 1", new TcloCommand.BackupStart(true, List.of())),
                Arguments.of("vmbackup.start 0 vol1 vol2", new TcloCommand.BackupStart(false, List.of("vol1", "vol2"))),
                Arguments.of("vmbackup.abort", new TcloCommand.BackupAbort()),
                Arguments.of("vmbackup.snapshotDone", new TcloCommand.BackupSnapshotDone()),
                Arguments.of("vmbackup.snapshotCompleted", new TcloCommand.BackupSnapshotCompleted()),
                Arguments.of("deployPkg.begin", new TcloCommand.DeployPackageBegin()),
                Arguments.of("deployPkg.deploy /tmp/pkg.tar", new TcloCommand.DeployPackageDeploy("/tmp/pkg.tar")),
                Arguments.of("vmsupport.start", new TcloCommand.VmSupportStart()),
                Arguments.of("Vix_1_Relayed_Command \"38cdcae40e075d66\"",
                        new TcloCommand.Unknown("Vix_1_Relayed_Command", bytes("\"38cdcae40e075d66\""))),
                Arguments.of("Resolution_Set 1024 768", new TcloCommand.Unknown("Resolution_Set", bytes("1024 768"))),
                Arguments.of("no.such.command", new TcloCommand.Unknown("no.such.command", new byte[0])),
                // matching is exact and case-sensitive
                Arguments.of("PING", new TcloCommand.Unknown("PING", new byte[0])),
                Arguments.of("Reset", new TcloCommand.Unknown("Reset", new byte[0])),
                // trailing NULs are ignored; extra arguments to argument-less commands too
                Arguments.of("ping\0", new TcloCommand.Ping()),
                Arguments.of("reset\0\0\0", new TcloCommand.Reset()),
                Arguments.of("ping extra", new TcloCommand.Ping()),
                Arguments.of("  ping", new TcloCommand.Ping()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void everyWireStringParsesIntoItsRecord(String wire, TcloCommand expected) {
        TcloCommand parsed = TcloCommand.parse(bytes(wire));

        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.commandName()).isEqualTo(wire.strip().split("[ \0]")[0]);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "Bad command"),
                Arguments.of("   ", "Bad command"),
                Arguments.of("\0", "Bad command"),
                Arguments.of("Set_Option", "Unknown or invalid option"),
                Arguments.of("Set_Option synctime", "Unknown or invalid option"),
                Arguments.of("Set_Option synctime ", "Unknown or invalid option"),
                Arguments.of("Set_Option  1", "Unknown or invalid option"),
                Arguments.of("Time_Synchronize", "Unable to tokenize TimeSync RPC data"),
                Arguments.of("Time_Synchronize x", "Unable to tokenize TimeSync RPC data"),
                Arguments.of("Time_Synchronize 2", "Unable to tokenize TimeSync RPC data"),
                Arguments.of("vmbackup.start yes", "Invalid vmbackup.start arguments"),
                Arguments.of("deployPkg.deploy", "Missing package file"));
    }

    @ParameterizedTest(name = "\"{0}\" -> ERROR {1}")
    @MethodSource("malformed")
    void malformedCommandsThrowATypedExceptionCarryingTheReply(String wire, String reason) {
        assertThatThrownBy(() -> TcloCommand.parse(bytes(wire)))
                .isInstanceOfSatisfying(TcloFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.reply().toString()).isEqualTo("ERROR " + reason);
                })
                .hasMessageContaining("malformed TCLO command");
    }

    @Test
    void binaryArgumentsSurviveByteForByte() {
        byte[] wire = {'f', ' ', 0, 1, (byte) 0xFF, 0x7F, ' ', 2};

        TcloCommand parsed = TcloCommand.parse(wire);

        assertThat(parsed).isInstanceOfSatisfying(TcloCommand.Unknown.class,
                u -> assertThat(u.arguments()).containsExactly(0, 1, 0xFF, 0x7F, ' ', 2));
        assertThat(parsed.toString()).contains("\\x00\\x01\\xff");
    }

    @Test
    void sixtyFourKilobytesOfJunkIsAnUnknownCommandNotACrash() {
        byte[] junk = new byte[64 * 1024];
        Arrays.fill(junk, (byte) 0xA5);

        assertThat(TcloCommand.parse(junk)).isInstanceOf(TcloCommand.Unknown.class);
    }

    @Test
    void everyPermittedRecordHasAWireNameThatParsesBackToItsType() {
        // Java 17 has no exhaustive switch over a sealed type: walk the hierarchy instead (style 2.8).
        for (Class<?> type : TcloCommand.class.getPermittedSubclasses()) {
            if (type == TcloCommand.Unknown.class) {
                continue;
            }
            List<String> names = type == TcloCommand.PowerOperation.class
                    ? Arrays.stream(PowerState.values()).map(TcloCommand.PowerOperation::nameOf).toList()
                    : List.of(constant(type));
            for (String name : names) {
                assertThat(TcloParser.typedNames()).contains(name);
                String wire = sampleArguments(name).isEmpty() ? name : name + " " + sampleArguments(name);
                assertThat(TcloCommand.parse(bytes(wire))).as(wire).isInstanceOf(type);
            }
        }
    }

    static String sampleArguments(String name) {
        return switch (name) {
            case "Set_Option" -> "synctime 1";
            case "Time_Synchronize" -> "0";
            case "deployPkg.deploy" -> "/tmp/p";
            default -> "";
        };
    }

    private static String constant(Class<?> type) {
        try {
            return (String) type.getField("NAME").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type + " has no NAME constant", e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
