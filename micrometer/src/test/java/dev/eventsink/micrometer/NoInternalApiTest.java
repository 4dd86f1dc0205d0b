package dev.eventsink.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsink.ClassReferences;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** This module is built on the SDK's public API alone: its compiled classes use nothing of dev.eventsink.internal. */
class NoInternalApiTest {

    @Test
    void noCompiledClassUsesTheSdksInternalPackage() {
        assertThat(ClassReferences.usersOfInternalApi(Path.of("target/classes"))).isEmpty();
    }
}
