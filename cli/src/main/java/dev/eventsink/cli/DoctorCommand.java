package dev.eventsink.cli;

import dev.eventsink.Channel;
import dev.eventsink.ConfigSource;
import dev.eventsink.EventSink;
import dev.eventsink.EventSinkFactory;
import dev.eventsink.SinkProviders;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.Secrets;
import dev.eventsink.spi.SinkConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eventsink doctor}: for each channel, the resolved configuration (secrets masked) and where each key
 * came from, the provider found and its jar, the sink's own validation, and a live check of the backend; then
 * a verdict, with a hint for each common mistake. Every value, problem and hint is printed through
 * {@link Printable}: URL credentials masked, control characters escaped, long values cut.
 */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checks the configuration of both channels and whether their backends answer.",
            "For each channel: the keys and where they come from (secrets masked), the sink provider and its "
                    + "jar, the sink's validation, and a live check (for openobserve: GET {URL}/healthz, then an "
                    + "authenticated POST of [] to {URL}/api/{ORG}/{STREAM}/_json, which must answer 200 with 0/0)."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every channel is ready", "  1  some channel has a problem (hints are printed)",
            "  2  usage error"})
final class DoctorCommand implements Callable<Integer> {

    private final EventsinkCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "5s", converter = Durations.class,
            description = "Connect and answer timeout of each live check (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "Check only this channel: UX or SIM.")
    Channel only;

    DoctorCommand(EventsinkCommand root) {
        this.root = root;
    }

    /** What one channel's check found. */
    static final class Findings {
        final List<String> problems = new ArrayList<>();
        final List<String> hints = new ArrayList<>();

        void problem(String problem, String hint) {
            problems.add(problem);
            if (hint != null && !hints.contains(hint)) {
                hints.add(hint);
            }
        }
    }

    @Override
    public Integer call() {
        PrintStream out = root.env.out();
        ConfigSource source;
        try {
            source = root.config(spec);
        } catch (ConfigurationException e) {
            out.println("PROBLEM: cannot read the configuration: " + Printable.message(e.getMessage()));
            out.println("  hint: each line of a .env file is KEY=VALUE, a # comment or blank; quote values that "
                    + "contain # or spaces, e.g. UX_EVENT_SINK_API_KEY=\"root@example.com:Complexpass#123\"");
            return Main.FAILED;
        }
        ClassLoader loader = classLoader();
        SinkProviders registry = EventSinkFactory.providers(loader);
        out.println("eventsink doctor (" + VersionProvider.version() + ")");
        out.println();
        out.println("Sink types on the class path:");
        if (registry.types().isEmpty()) {
            out.println("  (none)");
        }
        Text.Table types = new Text.Table("type", "provider", "from");
        registry.all().forEach(p -> types.row(p.type(), p.className(), Printable.message(p.location())));
        types.lines("  ").stream().skip(1).forEach(out::println);
        registry.loadFailures().forEach(f -> out.println("  failed to load: " + Printable.message(f)));

        List<Channel> failing = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            if (only != null && only != channel) {
                continue;
            }
            out.println();
            Findings findings = check(channel, source, registry, loader, out);
            if (findings.problems.isEmpty()) {
                out.println("  verdict: OK");
            } else {
                failing.add(channel);
                out.println("  verdict: " + findings.problems.size() + (findings.problems.size() == 1 ? " PROBLEM"
                        : " PROBLEMS"));
                findings.problems.forEach(p -> out.println("    - " + Printable.message(p)));
                findings.hints.forEach(h -> out.println("    hint: " + Printable.message(h)));
            }
        }
        out.println();
        if (failing.isEmpty()) {
            out.println("All checked channels are ready.");
            return Main.OK;
        }
        out.println("Problems in: " + String.join(", ", failing.stream().map(Channel::name).toList())
                + ". Fix them as the hints say, then run eventsink doctor again.");
        return Main.FAILED;
    }

    private Findings check(Channel channel, ConfigSource source, SinkProviders registry, ClassLoader loader,
            PrintStream out) {
        Findings findings = new Findings();
        SinkConfig config = SinkConfig.of(channel, source);
        out.println(channel + " channel (" + channel.prefix() + "* keys)");
        out.println("  configuration:");
        if (config.suffixes().isEmpty()) {
            out.println("    (no " + channel.prefix() + "* key is set)");
        } else {
            Text.Table table = new Text.Table("key", "value", "from");
            for (String suffix : config.suffixes()) {
                String shown = config.display(suffix);
                table.row(Printable.value(config.key(suffix)), shown.equals("<unset>") ? "(blank)"
                        : Printable.value(shown), Printable.message(config.origin(suffix)));
            }
            table.lines("    ").stream().skip(1).forEach(out::println);
        }

        String typeKey = channel.key("TYPE");
        SinkProviders.Provider provider;
        try {
            provider = registry.find(config.type().orElse(null), typeKey);
        } catch (ConfigurationException e) {
            out.println("  provider: none");
            findings.problem(e.getMessage(), Hints.forType(channel, config.get("TYPE").orElse(null), registry.types()));
            return findings;
        }
        String type = provider.type();
        out.println("  provider: " + type + " = " + provider.className() + " from "
                + Printable.message(provider.location()));

        try {
            EventSink sink = EventSinkFactory.create(channel, source, loader);
            sink.close(Duration.ofSeconds(2));
            out.println("  validation: the " + type + " sink accepts this configuration");
        } catch (ConfigurationException e) {
            out.println("  validation: the " + type + " sink rejects this configuration");
            List<ConfigurationException.Problem> problems = e.problems();
            if (problems.isEmpty()) {
                findings.problem(e.getMessage(), null);
            }
            for (ConfigurationException.Problem problem : problems) {
                findings.problem(problem.message(), Hints.forKey(channel, problem.key(), config));
            }
            return findings;
        }

        switch (type) {
            case "openobserve" -> new OpenObserveCheck(channel, config, timeout, out).run(findings);
            case "mock" -> out.println("  live check: none needed; the mock sink keeps events in memory "
                    + "(for development and tests: nothing leaves the process)");
            default -> out.println("  live check: none available for sink type '" + type + "'");
        }
        return findings;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : DoctorCommand.class.getClassLoader();
    }

    /** The hint for each common mistake, worded for the key and the value at fault. */
    static final class Hints {

        private Hints() {}

        static String forType(Channel channel, String value, List<String> available) {
            String key = channel.key("TYPE");
            String list = available.isEmpty() ? "(no sink jar is on the class path)" : String.join(", ", available);
            if (value == null) {
                return "set " + key + " to the sink type to use, one of: " + list + " (for example " + key
                        + "=openobserve in .env; or run eventsink demo, which needs no configuration)";
            }
            String normalized = value.trim().toLowerCase(Locale.ROOT);
            String closest = closest(normalized, available);
            return Printable.quote(value.trim()) + " is not a sink type on the class path"
                    + (closest != null ? "; did you mean '" + closest + "'?" : ".") + " Available: " + list;
        }

        static String forKey(Channel channel, String fullKey, SinkConfig config) {
            String suffix = fullKey.startsWith(channel.prefix()) ? fullKey.substring(channel.prefix().length())
                    : fullKey;
            String value = config.get(suffix).orElse(null);
            return switch (suffix) {
                case "URL" -> urlHint(channel, value);
                case "API_KEY" -> apiKeyHint(channel, value);
                case "TYPE" -> forType(channel, value, List.of());
                default -> "fix " + fullKey + " as the message says; the README's configuration table lists "
                        + "every key with its default";
            };
        }

        static String urlHint(Channel channel, String value) {
            String url = channel.key("URL");
            if (value == null) {
                return "set " + url + " to the OpenObserve server's base URL, for example http://localhost:5080";
            }
            if (!Secrets.maskUrlCredentials(value).equals(value)) {
                return "take the credentials out of " + url + " and put them in " + channel.key("API_KEY")
                        + " as email:passcode";
            }
            int api = value.indexOf("/api");
            if (api >= 0) {
                return "set " + url + " to the server's base URL only (" + Printable.value(value.substring(0, api))
                        + "): the sink adds /api/{ORG}/{STREAM}/_json itself; put the organization in "
                        + channel.key("ORG") + " and the stream in " + channel.key("STREAM");
            }
            return url + " must be an http:// or https:// base URL, for example http://localhost:5080";
        }

        static String apiKeyHint(Channel channel, String value) {
            String key = channel.key("API_KEY");
            if (value == null) {
                return "set " + key + " to email:passcode (as for curl -u), for example "
                        + "root@example.com:Complexpass#123 for a local server (quote it in .env: it has a #)";
            }
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return "remove 'Bearer ': OpenObserve accepts Basic authentication only. Set " + key
                        + " to email:passcode (as for curl -u) or to the base64 value OpenObserve shows";
            }
            return key + " must be email:passcode (the user's email and password or ingestion passcode, as for "
                    + "curl -u), or the base64 Basic credential that OpenObserve's Ingestion page shows; "
                    + "a bare passcode or token without the email does not work";
        }

        /** The available type nearest to {@code value} by edit distance, when near enough. */
        static String closest(String value, List<String> available) {
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String candidate : available) {
                int d = distance(value, candidate);
                if (d < bestDistance) {
                    best = candidate;
                    bestDistance = d;
                }
            }
            return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
        }

        private static int distance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
    }

}
