package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.agent.AgentSettings;
import dev.vmwguest.agent.FactSources;
import dev.vmwguest.agent.GuestFacts;
import org.junit.jupiter.api.Test;

class AgentCommandTest {

    @Test
    void onceReportsThisMachinesFactsToASimulatedHost() throws Exception {
        GuestFacts facts = GuestFacts.gather(FactSources.system(), AgentSettings.defaults());
        CliRun run = CliRun.of("agent", "--simulate", "--once");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("host name   " + facts.hostName(), "OS          " + facts.os().shortName());
    }

    @Test
    void theDaemonRunsAndStops() {
        CliRun run = CliRun.of("agent", "--simulate", "--interval", "1s", "--run-for", "1500ms");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("agent running; interval 1 s");
    }

    @Test
    void aBadIntervalIsAUsageError() {
        CliRun run = CliRun.of("agent", "--simulate", "--interval", "soon");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--interval: 'soon' is not a duration");
    }

    @Test
    void helpNamesTheCommand() {
        CliRun run = CliRun.of("agent", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: vmwguest agent").contains("--once", "--interval");
    }
}
