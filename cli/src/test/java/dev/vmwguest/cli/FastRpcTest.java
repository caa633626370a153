package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain {@code rpc} form skips picocli; everything else still goes through it. */
class FastRpcTest {

    @Test
    void thePlainFormIsRecognisedWithGlobalOptionsAnywhere() {
        assertThat(FastRpc.parse(new String[] {"rpc", "info-get", "guestinfo.x"}))
                .contains(new FastRpc.Line(List.of("info-get", "guestinfo.x"), false, false));
        assertThat(FastRpc.parse(new String[] {"--simulate", "rpc", "info-get x", "--verbose"}))
                .contains(new FastRpc.Line(List.of("info-get x"), true, true));
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        assertThat(FastRpc.parse(new String[] {"rpc"})).isEmpty();
        assertThat(FastRpc.parse(new String[] {"rpc", "--help"})).isEmpty();
        assertThat(FastRpc.parse(new String[] {"rpc", "--", "-x"})).isEmpty();
        assertThat(FastRpc.parse(new String[] {"rpc", "-V", "x"})).isEmpty();
        assertThat(FastRpc.parse(new String[] {"guestinfo", "get", "x"})).isEmpty();
        assertThat(FastRpc.parse(new String[] {"--simulate"})).isEmpty();
    }

    @Test
    void picocliStillAnswersTheFormsItOwns() {
        CliRun missing = CliRun.of("rpc");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("COMMAND");

        CliRun help = CliRun.of("rpc", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: vmwguest rpc");
    }

    @Test
    void errorsOnThePlainPathLookLikeTheOthers() {
        CliRun quiet = CliRun.of("--simulate", "rpc", "x".repeat(70_000));
        assertThat(quiet.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(quiet.err()).startsWith("vmwguest: the command is 70000 bytes").doesNotContain("\tat ");

        CliRun verbose = CliRun.of("--simulate", "--verbose", "rpc", "x".repeat(70_000));
        assertThat(verbose.err()).contains("LocalProblemException").contains("\tat ");
    }
}
