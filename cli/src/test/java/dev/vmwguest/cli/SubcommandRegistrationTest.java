package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only the subcommand being run is registered (start-up cost), yet help and errors still see them all. */
class SubcommandRegistrationTest {

    @Test
    void theSubcommandIsTheFirstWordThatIsNotAnOption() {
        assertThat(Main.subcommandOf(new String[] {"--simulate", "rpc", "info-get x"})).isEqualTo("rpc");
        assertThat(Main.subcommandOf(new String[] {"guestinfo", "--simulate", "set"})).isEqualTo("guestinfo");
        assertThat(Main.subcommandOf(new String[] {"--verbose"})).isEmpty();
        assertThat(Main.subcommandOf(new String[] {"--", "rpc"})).isEmpty();
        assertThat(Main.subcommandOf(new String[0])).isEmpty();
    }

    @Test
    void topLevelHelpListsEverySubcommand() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("  detect", "  host", "  rpc", "  guestinfo", "  tclo", "  demo", "  sim",
                "  help");
    }

    @Test
    void theHelpSubcommandCanDescribeAnyOther() {
        CliRun run = CliRun.of("help", "rpc");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: vmwguest rpc");
    }

    @Test
    void anUnknownSubcommandIsAUsageErrorThatSuggestsTheRealOnes() {
        CliRun run = CliRun.of("rcp", "info-get x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("rcp").contains("rpc");
    }
}
