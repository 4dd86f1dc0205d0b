package dev.eventsink.spring.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that has nothing but the starter (and, on the test class path, Micrometer and health support). */
@SpringBootApplication
public class StarterTestApplication {
}
