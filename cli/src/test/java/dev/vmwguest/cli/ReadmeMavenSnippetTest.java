package dev.vmwguest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Maven snippet is the consumer example's dependencies, verbatim, at this build's version,
 * and its testing example runs in the consumer as written.
 */
class ReadmeMavenSnippetTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theConsumerExampleUsesTheReadmeSnippetVerbatim() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String consumer = Files.readString(ROOT.resolve("examples/consumer/pom.xml"));

        String snippet = between(readme, "## Maven\n\n```xml\n", "```\n");
        String used = between(consumer, "<!-- README snippet begins -->\n", "<!-- README snippet ends -->\n");

        assertThat(used).isEqualTo(snippet);
    }

    @Test
    void theSnippetNamesThisBuildsVersion() throws Exception {
        String expected = System.getProperty("vmwguest.expectedVersion");
        org.junit.jupiter.api.Assumptions.assumeTrue(expected != null, "run by Maven, which passes the version");
        String readme = Files.readString(ROOT.resolve("README.md"));

        assertThat(between(readme, "## Maven\n\n```xml\n", "```\n")).contains("<version>" + expected + "</version>");
    }

    @Test
    void theConsumerExampleRunsTheReadmesTestingExampleAsWritten() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String consumerTest = Files.readString(ROOT.resolve(
                "examples/consumer/src/test/java/dev/vmwguest/example/consumer/ReadmeTestingExampleTest.java"));
        String example = between(readme, "```java\nSimulatedHost host = SimulatedHost.create();", "```\n");

        // The consumer asserts with JUnit instead of AssertJ; every other statement must be the README's.
        example.lines().map(line -> line.replaceAll("\\s*//.*$", "").strip())
                .filter(line -> !line.isEmpty() && !line.startsWith("assertThat("))
                .forEach(line -> assertThat(consumerTest).as("the consumer's copy of the README example")
                        .contains(line));
    }

    private static String between(String text, String start, String end) {
        Matcher match = Pattern.compile(Pattern.quote(start) + "(.*?)" + Pattern.quote(end), Pattern.DOTALL)
                .matcher(text);
        assertThat(match.find()).as("a block between %s and %s", start.strip(), end.strip()).isTrue();
        return match.group(1);
    }
}
