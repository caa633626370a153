package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpci.GuestInfo;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Unix manners of issue 17: options anywhere, bounded input, local errors exit 2, no silent waits. */
class CliMannersTest {

    private static final int LIMIT = GuestInfo.maxValueBytes("k", RpcChannelOptions.DEFAULT_MAX_SEND_SIZE);

    @Test
    void globalOptionsWorkBeforeTheSubcommand() {
        CliRun before = CliRun.of("--simulate", "rpc", "info-get guestinfo.nothing");
        assertThat(before.exitCode()).isEqualTo(ExitCodes.HOST_SAID_NO);
        assertThat(before.err()).isEqualTo("No value found\n");

        CliRun nested = CliRun.of("--simulate", "guestinfo", "set", "k", "v");
        assertThat(nested.exitCode()).isZero();

        CliRun verbose = CliRun.of("--verbose", "--simulate", "guestinfo", "set", "bad key", "v");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(verbose.err()).contains("IllegalArgumentException").contains("\tat ");
    }

    @Test
    void globalOptionsStillWorkAfterTheSubcommand() {
        assertThat(CliRun.of("rpc", "--simulate", "info-set guestinfo.a b").exitCode()).isZero();
        assertThat(CliRun.of("guestinfo", "--simulate", "set", "k", "v").exitCode()).isZero();
    }

    @Test
    void aDurationThatIsNotOneIsAUsageErrorInPlainWords() {
        CliRun run = CliRun.of("sim", "run", "--timeout", "soon", "--", "true");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'soon' is not a duration").contains("2s").contains("PT2S")
                .doesNotContain("DateTimeParseException");
    }

    @Test
    void stdinIsReadWithABoundAndTooMuchOfItExitsTwo() {
        EndlessInput endless = new EndlessInput();

        CliRun run = CliRun.withInput(endless, "guestinfo", "set", "--simulate", "k", "-");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("vmwguest: standard input holds more than " + LIMIT + " bytes");
        assertThat(endless.served).as("read no further than one byte past the limit").isEqualTo(LIMIT + 1L);
    }

    @Test
    void stdinUpToTheLimitIsAccepted() {
        byte[] value = new byte[LIMIT];
        java.util.Arrays.fill(value, (byte) 'x');

        CliRun run = CliRun.withInput(new java.io.ByteArrayInputStream(value), "--simulate", "guestinfo", "set",
                "k", "-");

        assertThat(run.exitCode()).isZero();
    }

    @Test
    void aFileTooBigExitsTwo(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big");
        Files.write(big, new byte[LIMIT + 10]);

        CliRun run = CliRun.of("--simulate", "guestinfo", "set", "k", "--file", big.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("holds more than " + LIMIT + " bytes");
    }

    @Test
    void anEndlessFileExitsTwoWithoutReadingItAll() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "no /dev/zero on this system");

        CliRun run = CliRun.of("--simulate", "guestinfo", "set", "k", "--file", zero.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("/dev/zero holds more than");
    }

    @Test
    void aMissingFileIsALocalErrorNotAChannelFailure(@TempDir Path dir) {
        Path missing = dir.resolve("nope");

        CliRun run = CliRun.of("--simulate", "guestinfo", "set", "k", "--file", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("vmwguest: cannot read " + missing + ": no such file\n");
    }

    @Test
    void aCommandTooBigToSendIsALocalError() {
        CliRun run = CliRun.of("rpc", "--simulate", "x".repeat(70_000));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("70000 bytes").contains("at most 65536 bytes");
    }

    @Test
    void tcloListenOnASimulatedHostSaysWhatItIsWaitingFor() {
        CliRun run = CliRun.of("--simulate", "tclo", "listen", "--count", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("listening as TCLO app 'toolbox'").contains("--send")
                .contains("until 1 commands have arrived");
    }

    @Test
    void tcloListenWithQueuedCommandsCountsThem() {
        assertThat(TcloListenCommand.Listen.waitingFor("toolbox", 0, true, 2))
                .contains("2 commands queued with --send").contains("Ctrl-C");
        assertThat(TcloListenCommand.Listen.waitingFor("toolbox", 0, false, 0)).contains("the VMware host");
    }

    @Test
    void detectCitesNoInternalDocument() {
        CliRun run = CliRun.of("detect");

        assertThat(run.out() + run.err()).doesNotContain("\u00a7").doesNotContainPattern("\\w+\\.md\\b")
                .doesNotContain("fact sheet");
    }

    @Test
    void versionIsTheBuildsVersion() {
        String expected = System.getProperty("vmwguest.expectedVersion");
        assumeTrue(expected != null, "run by Maven, which passes the project version");

        CliRun run = CliRun.of("-V");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("vmwguest " + expected + "\n").doesNotContain("development");
    }

    /** An input that never ends, counting what it served. */
    private static final class EndlessInput extends InputStream {
        long served;

        @Override
        public int read() {
            served++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            java.util.Arrays.fill(buffer, offset, offset + length, (byte) 'x');
            served += length;
            return length;
        }
    }
}
