package dev.eventsink.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.ClassReferences;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmarks use the SDK's public API alone: their compiled classes use nothing of dev.eventsink.internal. */
class NoInternalApiTest {

    @Test
    void noCompiledClassUsesTheSdksInternalPackage() {
        assertThat(ClassReferences.usersOfInternalApi(Path.of("target/classes"))).isEmpty();
    }
}
