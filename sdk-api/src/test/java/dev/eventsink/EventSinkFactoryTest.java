package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.eventsink.TestProviders.Alpha;
import dev.eventsink.TestProviders.AlphaTwin;
import dev.eventsink.TestProviders.Beta;
import dev.eventsink.TestProviders.Exploding;
import dev.eventsink.TestProviders.NeedsArgument;
import dev.eventsink.TestProviders.Rejecting;
import dev.eventsink.TestProviders.ReturnsNull;
import dev.eventsink.TestProviders.ThrowsInConstructor;
import dev.eventsink.TestProviders.TypeThrows;
import dev.eventsink.TestProviders.UpperCaseType;
import dev.eventsink.spi.ConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EventSinkFactoryTest {

    private static final String NEEDS_ARGUMENT_FAILURE = "dev.eventsink.spi.EventSinkProvider: "
            + NeedsArgument.class.getName() + " Unable to get public no-arg constructor"
            + " (java.lang.NoSuchMethodException: " + NeedsArgument.class.getName() + ".<init>())";
    private static final String THROWS_IN_CONSTRUCTOR_FAILURE = "dev.eventsink.spi.EventSinkProvider: Provider "
            + ThrowsInConstructor.class.getName() + " could not be instantiated"
            + " (java.lang.IllegalStateException: cannot start)";

    private static ConfigSource ux(String type) {
        return ConfigSource.fromMap(Map.of("UX_EVENT_SINK_TYPE", type));
    }

    private static EventSink create(String type, ClassLoader loader) {
        return EventSinkFactory.create(Channel.UX, ux(type), loader);
    }

    @Nested
    class TypeUnset {

        @Test
        void unsetTypeNamesTheKeyAndListsAvailableTypes() {
            assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(Map.of()),
                    ProviderClassLoader.of(Beta.class, Alpha.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("UX_EVENT_SINK_TYPE is not set. Set it to the sink type to use. Available: alpha, beta")
                    .satisfies(e -> assertThat(((ConfigurationException) e).keys())
                            .containsExactly("UX_EVENT_SINK_TYPE"));
        }

        @Test
        void blankTypeCountsAsUnsetAndNamesTheSimKeyOnTheSimChannel() {
            assertThatThrownBy(() -> EventSinkFactory.create(Channel.SIM,
                    ConfigSource.fromMap(Map.of("SIM_EVENT_SINK_TYPE", "   ", "UX_EVENT_SINK_TYPE", "alpha")),
                    ProviderClassLoader.of(Alpha.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("SIM_EVENT_SINK_TYPE is not set. Set it to the sink type to use. Available: alpha");
        }

        @Test
        void unsetTypeWithNoProvidersAtAllSaysToAddASinkJar() {
            assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(Map.of()),
                    ProviderClassLoader.empty()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("UX_EVENT_SINK_TYPE is not set. Set it to the sink type to use, but no event sink"
                            + " provider is on the class path; add the jar of a sink to it");
        }

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void unsetTypeAlsoReportsProvidersThatFailedToLoad() {
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX, ConfigSource.fromMap(Map.of()),
                        ProviderClassLoader.of(Alpha.class, NeedsArgument.class)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessage("UX_EVENT_SINK_TYPE is not set. Set it to the sink type to use. Available: alpha"
                                + ". 1 provider(s) failed to load: " + NEEDS_ARGUMENT_FAILURE);
            }
        }
    }

    @Nested
    class UnknownType {

        @Test
        void unknownTypeListsAvailableTypes() {
            assertThatThrownBy(() -> create("foo", ProviderClassLoader.of(Beta.class, Alpha.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Unknown event sink type 'foo' in UX_EVENT_SINK_TYPE. Available: alpha, beta"
                            + ". Check the spelling, or add the jar that provides the type to the class path")
                    .satisfies(e -> assertThat(((ConfigurationException) e).keys())
                            .containsExactly("UX_EVENT_SINK_TYPE"));
        }

        @Test
        void unknownTypeIsShownTrimmedAsWrittenAndNamesTheSimKey() {
            assertThatThrownBy(() -> EventSinkFactory.create(Channel.SIM,
                    ConfigSource.fromMap(Map.of("SIM_EVENT_SINK_TYPE", "  Foo \t")), ProviderClassLoader.of(Alpha.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Unknown event sink type 'Foo' in SIM_EVENT_SINK_TYPE. Available: alpha"
                            + ". Check the spelling, or add the jar that provides the type to the class path");
        }

        @Test
        void unknownTypeWithNoProvidersSaysNoneAreAvailable() {
            assertThatThrownBy(() -> create("foo", ProviderClassLoader.empty()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Unknown event sink type 'foo' in UX_EVENT_SINK_TYPE. Available: none"
                            + ". Check the spelling, or add the jar that provides the type to the class path");
        }

        @Test
        void theCoreNamesNoArtifactOfAnotherModule() {
            assertThatThrownBy(() -> create("OpenObserve", ProviderClassLoader.of(Alpha.class, Beta.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Unknown event sink type 'OpenObserve' in UX_EVENT_SINK_TYPE. Available: alpha, beta"
                            + ". Check the spelling, or add the jar that provides the type to the class path");
        }

        @Test
        void aTypeWithALineBreakIsShownEscaped() {
            assertThatThrownBy(() -> create("foo\nINFO forged", ProviderClassLoader.of(Alpha.class)))
                    .hasMessageStartingWith("Unknown event sink type 'foo\\nINFO forged' in UX_EVENT_SINK_TYPE.");
        }
    }

    @Nested
    class Matching {

        @Test
        void typeIsTrimmedAndMatchedIgnoringCase() {
            EventSink sink = create("  ALPHA \t", ProviderClassLoader.of(Beta.class, Alpha.class));

            assertThat(sink).isInstanceOf(RecordingSink.class)
                    .hasToString("RecordingSink{alpha, SinkConfig{UX_EVENT_SINK_TYPE=ALPHA}}");
        }

        @Test
        void eachChannelReadsItsOwnTypeKey() {
            ConfigSource source = ConfigSource.fromMap(
                    Map.of("UX_EVENT_SINK_TYPE", "alpha", "SIM_EVENT_SINK_TYPE", "beta"));
            ProviderClassLoader loader = ProviderClassLoader.of(Alpha.class, Beta.class);

            assertThat(EventSinkFactory.create(Channel.UX, source, loader))
                    .hasToString("RecordingSink{alpha, SinkConfig{UX_EVENT_SINK_TYPE=alpha}}");
            assertThat(EventSinkFactory.create(Channel.SIM, source, loader)).hasToString("RecordingSink{beta}");
        }

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void availableTypesAreThoseOfTheContextClassLoaderSorted() {
            Thread thread = Thread.currentThread();
            ClassLoader saved = thread.getContextClassLoader();
            thread.setContextClassLoader(ProviderClassLoader.of(Beta.class, UpperCaseType.class, Alpha.class));
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                assertThat(EventSinkFactory.availableTypes()).containsExactly("alpha", "beta");
            } finally {
                thread.setContextClassLoader(saved);
            }
        }

        @Test
        void nullArgumentsAreRejectedByName() {
            ProviderClassLoader loader = ProviderClassLoader.of(Alpha.class);
            assertThatThrownBy(() -> EventSinkFactory.create(null, ux("alpha"), loader))
                    .isInstanceOf(NullPointerException.class).hasMessage("channel must not be null");
            assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX, null, loader))
                    .isInstanceOf(NullPointerException.class).hasMessage("source must not be null");
            assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX, ux("alpha"), null))
                    .isInstanceOf(NullPointerException.class).hasMessage("classLoader must not be null");
        }
    }

    @Nested
    class BadProviders {

        @Test
        void twoProvidersWithOneTypeFailNamingBothClasses() {
            try (LogCapture log = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                assertThatThrownBy(() -> create("alpha", ProviderClassLoader.of(Alpha.class, Beta.class, AlphaTwin.class)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessage("Event sink type 'alpha' is provided by more than one class: "
                                + "dev.eventsink.TestProviders$Alpha and dev.eventsink.TestProviders$AlphaTwin."
                                + " Remove one of them from the class path");

                String location = Alpha.class.getProtectionDomain().getCodeSource().getLocation().toString();
                assertThat(log.lines(Level.WARN)).containsExactly("Event sink type 'alpha' is provided by more than"
                        + " one class: dev.eventsink.TestProviders$Alpha and dev.eventsink.TestProviders$AlphaTwin."
                        + " Remove one of them from the class path; they were loaded from " + location + " and " + location);
            }
        }

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void aDuplicatedTypeLeavesTheOtherTypesUsable() {
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                EventSink sink = create("beta", ProviderClassLoader.of(Alpha.class, Beta.class, AlphaTwin.class));

                assertThat(sink).hasToString("RecordingSink{beta}");
            }
        }

        @Test
        void providerWithoutPublicNoArgConstructorIsReportedAndSkipped() {
            try (LogCapture log = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                EventSink sink = create("alpha", ProviderClassLoader.of(NeedsArgument.class, Alpha.class));

                assertThat(sink).isInstanceOf(RecordingSink.class);
                assertThat(log.lines(Level.WARN)).containsExactly(
                        "An event sink provider failed to load and is skipped: " + NEEDS_ARGUMENT_FAILURE);
            }
        }

        @Test
        void providerWhoseConstructorThrowsIsReportedAndSkipped() {
            try (LogCapture log = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                EventSink sink = create("beta", ProviderClassLoader.of(ThrowsInConstructor.class, Beta.class));

                assertThat(sink).hasToString("RecordingSink{beta}");
                assertThat(log.lines(Level.WARN)).containsExactly(
                        "An event sink provider failed to load and is skipped: " + THROWS_IN_CONSTRUCTOR_FAILURE);
            }
        }

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void providersThatFailedToLoadAreListedWhenTheTypeIsUnknown() {
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                assertThatThrownBy(() -> create("needsargument", ProviderClassLoader.withEntries(
                        NeedsArgument.class.getName(), "com.example.Missing", Alpha.class.getName(),
                        ThrowsInConstructor.class.getName())))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessage("Unknown event sink type 'needsargument' in UX_EVENT_SINK_TYPE. Available: alpha"
                                + ". Check the spelling, or add the jar that provides the type to the class path. 3 provider(s) failed to load: " + NEEDS_ARGUMENT_FAILURE
                                + "; dev.eventsink.spi.EventSinkProvider: Provider com.example.Missing not found"
                                + "; " + THROWS_IN_CONSTRUCTOR_FAILURE);
            }
        }

        @Test
        void providerWhoseTypeIsNotLowercaseIsSkipped() {
            try (LogCapture log = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                assertThatThrownBy(() -> create("upper", ProviderClassLoader.of(UpperCaseType.class, Alpha.class)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessage("Unknown event sink type 'upper' in UX_EVENT_SINK_TYPE. Available: alpha"
                                + ". Check the spelling, or add the jar that provides the type to the class path. 1 provider(s) failed to load: dev.eventsink.TestProviders$UpperCaseType"
                                + " has type 'Upper', which is not a lowercase non-blank name");
                assertThat(log.lines(Level.WARN)).containsExactly("Event sink provider"
                        + " dev.eventsink.TestProviders$UpperCaseType is skipped: its type 'Upper' is not a"
                        + " lowercase non-blank name");
            }
        }

        @Test
        void providerWhoseTypeMethodThrowsIsSkipped() {
            try (LogCapture log = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                ProviderRegistry registry = ProviderRegistry.load(ProviderClassLoader.of(TypeThrows.class, Beta.class));

                assertThat(registry.types()).containsExactly("beta");
                assertThat(registry.loadFailures()).containsExactly("dev.eventsink.TestProviders$TypeThrows.type()"
                        + " threw java.lang.IllegalStateException: no type today");
                assertThat(log.lines(Level.WARN)).containsExactly("Event sink provider"
                        + " dev.eventsink.TestProviders$TypeThrows is skipped: type() threw"
                        + " java.lang.IllegalStateException: no type today");
            }
        }

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void registryKeepsBothClaimantsOfADuplicatedType() {
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                ProviderRegistry registry = ProviderRegistry.load(
                        ProviderClassLoader.of(AlphaTwin.class, Beta.class, Alpha.class));

                assertThat(registry.types()).containsExactly("alpha", "beta");
                assertThat(registry.loadFailures()).isEmpty();
                assertThat(registry.providers().get("alpha"))
                        .extracting(p -> p.getClass().getName())
                        .containsExactly(AlphaTwin.class.getName(), Alpha.class.getName());
            }
        }
    }

    @Nested
    class ProviderCreateFails {

        @Test
        void unexpectedExceptionFromCreateIsWrappedNamingProviderAndKey() {
            assertThatThrownBy(() -> create("exploding", ProviderClassLoader.of(Exploding.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Event sink provider 'exploding' (dev.eventsink.TestProviders$Exploding) failed to"
                            + " create the sink for UX_EVENT_SINK_TYPE: java.lang.IllegalStateException: disk full")
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("disk full")
                    .satisfies(e -> assertThat(((ConfigurationException) e).problems()).containsExactly(
                            new ConfigurationException.Problem("UX_EVENT_SINK_TYPE", "UX_EVENT_SINK_TYPE=exploding: the provider"
                                    + " failed to create the sink: java.lang.IllegalStateException: disk full")));
        }

        @Test
        void configurationExceptionFromCreatePropagatesAsIs() {
            assertThatThrownBy(() -> create("rejecting", ProviderClassLoader.of(Rejecting.class)))
                    .isSameAs(TestProviders.REJECTION);
        }

        @Test
        void providerReturningNoSinkIsAConfigurationError() {
            assertThatThrownBy(() -> create("nullsink", ProviderClassLoader.of(ReturnsNull.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Event sink provider 'nullsink' (dev.eventsink.TestProviders$ReturnsNull) returned"
                            + " no sink for UX_EVENT_SINK_TYPE");
        }

        @Test
        void providerValidationReportsEveryProblemAtOnce() {
            ConfigSource source = ConfigSource.fromMap(Map.of(
                    "UX_EVENT_SINK_TYPE", "strict",
                    "UX_EVENT_SINK_API_KEY", "pk-do-not-show",
                    "UX_EVENT_SINK_BATCH_SIZE", "lots"));

            assertThatThrownBy(() -> EventSinkFactory.create(Channel.UX, source,
                    ProviderClassLoader.of(TestProviders.Strict.class)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("3 configuration problems:" + String.join(System.lineSeparator(), List.of("",
                            "  - UX_EVENT_SINK_URL is required: the backend URL, such as http://localhost:5080",
                            "  - UX_EVENT_SINK_API_KEY='****' does not start with sk-; allowed: a key such as sk-123",
                            "  - UX_EVENT_SINK_BATCH_SIZE='lots' is not a whole number; allowed: 1 to 10000")))
                    .satisfies(e -> assertThat(((ConfigurationException) e).keys()).containsExactly(
                            "UX_EVENT_SINK_URL", "UX_EVENT_SINK_API_KEY", "UX_EVENT_SINK_BATCH_SIZE"));
        }
    }

    @Nested
    class Logging {

        @Test
        void infoLineSaysWhichProviderServesWhichChannel() {
            String location = Alpha.class.getProtectionDomain().getCodeSource().getLocation().toString();
            try (LogCapture log = LogCapture.capture(Level.INFO, EventSinkFactory.class.getName())) {
                EventSinkFactory.create(Channel.SIM, ConfigSource.fromMap(Map.of("SIM_EVENT_SINK_TYPE", "alpha")),
                        ProviderClassLoader.of(Alpha.class));

                assertThat(log.lines(Level.INFO)).containsExactly("SIM channel: event sink 'alpha' from"
                        + " dev.eventsink.TestProviders$Alpha (" + location + "), configured from explicit"
                        + " configuration: RecordingSink{alpha, SinkConfig{SIM_EVENT_SINK_TYPE=alpha}}");
            }
        }
    }

    /** What tools such as the CLI's doctor read: every provider with the jar it comes from. */
    @Nested
    class Providers {

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void everyProviderIsListedByTypeWithItsClassAndWhereItWasLoadedFrom() {
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                SinkProviders providers = EventSinkFactory.providers(
                        ProviderClassLoader.of(Beta.class, Alpha.class, AlphaTwin.class));

                assertThat(providers.types()).containsExactly("alpha", "beta");
                assertThat(providers.all()).extracting(SinkProviders.Provider::type, SinkProviders.Provider::className)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("alpha", Alpha.class.getName()),
                                org.assertj.core.groups.Tuple.tuple("alpha", AlphaTwin.class.getName()),
                                org.assertj.core.groups.Tuple.tuple("beta", Beta.class.getName()));
                assertThat(providers.all()).allSatisfy(p -> assertThat(p.location())
                        .isEqualTo(Alpha.class.getProtectionDomain().getCodeSource().getLocation().toString()));
                assertThat(providers.loadFailures()).isEmpty();
            }
        }

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void findGivesTheProviderTheFactoryWouldUseOrItsMessage() {
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                SinkProviders providers = EventSinkFactory.providers(
                        ProviderClassLoader.of(Beta.class, Alpha.class, AlphaTwin.class));

                assertThat(providers.find(" BETA ", "UX_EVENT_SINK_TYPE").className()).isEqualTo(Beta.class.getName());
                assertThatThrownBy(() -> providers.find("alpha", "UX_EVENT_SINK_TYPE"))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageStartingWith("Event sink type 'alpha' is provided by more than one class: ");
                assertThatThrownBy(() -> providers.find(null, "SIM_EVENT_SINK_TYPE"))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessage("SIM_EVENT_SINK_TYPE is not set. Set it to the sink type to use. Available: alpha,"
                                + " beta");
            }
        }

        @Test
        @SuppressWarnings("try") // the capture keeps the expected warnings out of the build output
        void providersThatFailToLoadAreListedAsFailures() {
            try (LogCapture ignored = LogCapture.capture(Level.WARN, ProviderRegistry.class.getName())) {
                SinkProviders providers = EventSinkFactory.providers(
                        ProviderClassLoader.of(Alpha.class, NeedsArgument.class));

                assertThat(providers.types()).containsExactly("alpha");
                assertThat(providers.loadFailures()).containsExactly(NEEDS_ARGUMENT_FAILURE);
            }
        }
    }
}
