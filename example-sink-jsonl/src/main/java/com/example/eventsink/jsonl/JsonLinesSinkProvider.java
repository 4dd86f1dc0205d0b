package com.example.eventsink.jsonl;

import dev.eventsink.EventSink;
import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.ConfigurationException;
import dev.eventsink.spi.EventSinkProvider;
import dev.eventsink.spi.SinkConfig;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the {@code jsonl} sink: {@code UX_EVENT_SINK_TYPE=jsonl}. Registered in
 * {@code META-INF/services/dev.eventsink.spi.EventSinkProvider}. Keys, after the channel prefix:
 *
 * <table>
 *   <caption>JSON lines keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>PATH</td><td>required</td><td>the file to append to; created when missing, its directory must
 *       exist</td></tr>
 *   <tr><td>FSYNC</td><td>flush</td><td>{@code always}, {@code flush} or {@code never}: see {@link FsyncPolicy}</td></tr>
 *   <tr><td>MAX_FILE_SIZE</td><td>1GiB</td><td>the size past which events are rejected, such as
 *       {@code 512MiB}</td></tr>
 * </table>
 *
 * Every problem is reported at once, naming the full key. Stateless and thread-safe, with a public no-argument
 * constructor, as {@link java.util.ServiceLoader} needs.
 */
public final class JsonLinesSinkProvider implements EventSinkProvider {

    /** The type name: {@value}. */
    public static final String TYPE = "jsonl";
    /** The default of {@code MAX_FILE_SIZE}: 1 GiB. */
    public static final long DEFAULT_MAX_FILE_SIZE = 1024L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSinkProvider.class);
    private static final String ALLOWED_PATH = "allowed: a file path whose directory exists and is writable, such as "
            + "/var/log/app/events.jsonl";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public EventSink create(SinkConfig config) {
        ConfigReader reader = config.reader();
        String pathText = reader.required("PATH", "the file to append JSON lines to, such as "
                + "/var/log/app/events.jsonl");
        FsyncPolicy fsync = reader.choice("FSYNC", FsyncPolicy.FLUSH);
        long maxFileSize = reader.bytes("MAX_FILE_SIZE", DEFAULT_MAX_FILE_SIZE, 1, 1024 * DEFAULT_MAX_FILE_SIZE);
        Path path = null;
        if (pathText != null) {
            try {
                path = Path.of(pathText);
            } catch (InvalidPathException e) {
                reader.invalid("PATH", "is not a valid path (" + e.getReason() + ")", ALLOWED_PATH);
            }
        }
        reader.validate();

        JsonLinesSink sink;
        try {
            sink = JsonLinesSink.open(path, fsync, maxFileSize, config.key("MAX_FILE_SIZE"));
        } catch (IOException e) {
            String key = config.key("PATH");
            throw ConfigurationException.of(List.of(new ConfigurationException.Problem(key,
                    key + "='" + pathText + "' cannot be opened for appending (" + e + "); " + ALLOWED_PATH)));
        }
        LOG.info("{} channel: appending events as JSON lines to {} (fsync {})", config.channel(), path,
                fsync.name().toLowerCase(Locale.ROOT));
        return sink;
    }
}
