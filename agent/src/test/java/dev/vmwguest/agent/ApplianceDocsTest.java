package dev.vmwguest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmwguest.hostsim.GuestPowerOperation;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every Java example of the "Appliance" chapter of {@code docs/user-guide.md}, compiled and run against the simulated host: the code
 * between {@code // docs: NAME} and {@code // docs: end} is what the chapter shows.
 */
@SuppressWarnings("try")   // examples keep the agent running for a block that need not name it
class ApplianceDocsTest {

    private final SimulatedHost host = SimulatedHost.create();
    /** Where the chapter's agent connects: the process's policy on exactly this host, no vsock. */
    private final TransportSelector transports = TransportSelector.over(host);

    /** Stands for the user's application in the examples. */
    static final class App {
        final CountDownLatch stopped = new CountDownLatch(1);

        void shutdown() {
            stopped.countDown();
        }

        void awaitTermination() throws InterruptedException {
            stopped.await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void startTheAgent() throws Exception {
        App app = new App();
        host.tclo().powerOperation(GuestPowerOperation.HALT);
        // docs: appliance start
        try (GuestAgent agent = GuestAgent.builder().transports(transports)
                .onHalt(app::shutdown)           // runs after the host was told "halt succeeded"
                .start()) {
            app.awaitTermination();
        }
        // docs: end
        assertThat(app.stopped.getCount()).isZero();
        assertThat(host.reports()).contains("tools.os.statechange.status 1 1");
    }

    @Test
    void configureIntervalAndNics() {
        // docs: appliance settings
        AgentSettings settings = AgentSettings.defaults()
                .withInterval(Duration.ofMinutes(1))
                .withExcludeNics(List.of("docker*", "veth*", "cni*"))
                .withNicPriorities(List.of("eth0"), List.of("wg*"));
        try (GuestAgent agent = GuestAgent.builder().transports(transports).settings(settings).start()) {
            // ...
        }
        // docs: end
    }

    @Test
    void readConfiguration() {
        host.guestInfo().put("guestinfo.ovfEnv", GuestinfoConfigTest.OVF_ENV);
        host.guestInfo().put("guestinfo.userdata", "#cloud-config\n");
        // docs: appliance config
        try (RpciClient rpci = RpciClient.open(transports)) {
            GuestinfoConfig config = GuestinfoConfig.over(rpci);
            Optional<String> hostname = config.ovfEnvironment().flatMap(env -> env.property("hostname"));
            Optional<String> userData = config.cloudInitText("userdata");   // decodes userdata.encoding
            if (userData.isPresent()) {
                config.redact("userdata");                                  // secrets: "---" for later readers
            }
            System.out.println(hostname.orElse("?") + " " + userData.map(String::length).orElse(0));
        }
        // docs: end
        assertThat(host.guestInfo().get("guestinfo.userdata")).contains("---");
    }

    @Test
    void readStats() {
        host.rpci().handle("guestlib.info.get", args -> RpciResult.ok(VmStatsReaderTest.v3(9, 38)));
        // docs: appliance stats
        try (RpciClient rpci = RpciClient.open(transports)) {
            VmStatsReader reader = VmStatsReader.over(rpci);
            VmStats stats = reader.read();
            System.out.println("host CPU " + stats.hostCpuMhz().orElse(-1) + " MHz, ballooned "
                    + stats.memoryBalloonedMb().orElse(0) + " MB, session " + stats.sessionId());
            if (reader.read().sessionChanged()) {
                System.out.println("moved, resumed or reverted: refresh caches");
            }
        }
        // docs: end
    }

    @Test
    void everyJavaBlockOfTheChapterIsCodeFromThisClass() throws Exception {
        Path source = Path.of("src/test/java/dev/vmwguest/agent/ApplianceDocsTest.java");
        Path guide = Path.of("..", "docs", "user-guide.md");
        assumeTrue(Files.isRegularFile(source) && Files.isRegularFile(guide), "not run from the agent module directory");
        List<String> snippets = snippets(Files.readAllLines(source));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(applianceChapter(Files.readString(guide)));
        int blocks = 0;
        while (block.find()) {
            blocks++;
            assertThat(snippets).as("a java block of the Appliance chapter not between docs: markers here")
                    .contains(block.group(1).stripTrailing());
        }
        assertThat(blocks).isEqualTo(snippets.size());
    }

    /** From the {@code ## N. Appliance} heading to the next chapter (tclo's DocsExamplesTest skips the same text). */
    static String applianceChapter(String guide) {
        Matcher start = Pattern.compile("(?m)^## \\d+\\. Appliance$").matcher(guide);
        assertThat(start.find()).as("docs/user-guide.md has an Appliance chapter").isTrue();
        Matcher next = Pattern.compile("(?m)^## ").matcher(guide);
        return guide.substring(start.start(), next.find(start.end()) ? next.start() : guide.length());
    }

    private static List<String> snippets(List<String> lines) {
        List<String> snippets = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            String marker = line.strip();
            if (marker.equals("// docs: end")) {
                int indent = current.stream().filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
                snippets.add(current.stream().map(l -> l.isBlank() ? "" : l.substring(indent))
                        .collect(Collectors.joining("\n")).stripTrailing());
                current = null;
            } else if (marker.startsWith("// docs: ") && !marker.contains("markers")) {
                current = new ArrayList<>();
            } else if (current != null) {
                current.add(line);
            }
        }
        return snippets;
    }
}
