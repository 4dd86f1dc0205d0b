package dev.eventsink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The example of "Testing code that emits events" in the README is the code of {@link CheckoutTest}, line for
 * line, at most 15 lines.
 */
class ReadmeExampleTest {

    private static final String SECTION = "## Testing code that emits events";

    @Test
    void theDocumentedExampleIsTheCodeThatRuns() throws IOException {
        List<String> documented = example(Path.of("../README.md"));
        List<String> tested = between(Files.readAllLines(Path.of("src/test/java/dev/eventsink/testkit/CheckoutTest.java")),
                "// README example begins", "// README example ends");

        assertThat(documented).isEqualTo(tested).hasSizeLessThanOrEqualTo(15);
    }

    /** The first java code block after the section's heading. */
    private static List<String> example(Path document) throws IOException {
        List<String> lines = Files.readAllLines(document);
        List<String> section = lines.subList(lines.indexOf(SECTION), lines.size());
        return between(section, "```java", "```");
    }

    private static List<String> between(List<String> lines, String start, String end) {
        int from = lines.indexOf(start) + 1;
        assertThat(from).as("line %s", start).isPositive();
        int to = from;
        while (!lines.get(to).equals(end)) {
            to++;
        }
        return lines.subList(from, to).stream().collect(Collectors.toList());
    }
}
