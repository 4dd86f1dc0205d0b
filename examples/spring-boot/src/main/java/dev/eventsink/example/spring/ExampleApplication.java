package dev.eventsink.example.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The example application: {@link ActionController} records UX actions from web requests and {@link SimulationJob}
 * records simulation events on a schedule, both through the {@link dev.eventsink.EventTracker} the starter
 * configures from {@code application.properties}.
 *
 * <pre>{@code
 * java -jar examples/spring-boot/target/eventsink-example-spring-boot-0.1.0-SNAPSHOT.jar
 * }</pre>
 */
@SpringBootApplication
@EnableScheduling
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
