package dev.eventsink;

import dev.eventsink.spi.Secrets;
import dev.eventsink.spi.ConfigurationException;
import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dotenv file through dotenv-java, turning its parse errors into messages that name the line, with the
 * line's secrets masked: the whole value on a line naming a secret key, the credentials of a URL on any line.
 * For example {@code 'UX_EVENT_SINK_URL http://****@localhost:5080' is not KEY=VALUE}.
 */
final class DotenvSource {

    private static final String MALFORMED_PREFIX = "Malformed entry ";
    private static final String UNMATCHED_PREFIX = "Malformed entry, unmatched quotes ";

    private DotenvSource() {}

    public static ConfigSource load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            return new MapSource(Map.of(), ".env (" + absolute + ", not found)");
        }
        Dotenv dotenv;
        try {
            Path dir = absolute.getParent();
            dotenv = Dotenv.configure()
                    .directory(dir == null ? "." : dir.toString())
                    .filename(absolute.getFileName().toString())
                    .load();
        } catch (DotenvException e) {
            throw malformed(absolute, e);
        }
        Map<String, String> values = new HashMap<>();
        for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
            values.put(entry.getKey(), entry.getValue());
        }
        return new MapSource(values, ".env (" + absolute + ")");
    }

    private static ConfigurationException malformed(Path file, DotenvException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        boolean unmatched = message.startsWith(UNMATCHED_PREFIX);
        if (!unmatched && !message.startsWith(MALFORMED_PREFIX)) {
            return new ConfigurationException("Cannot read " + file + ": " + message, List.of(), null);
        }
        String text = message.substring(unmatched ? UNMATCHED_PREFIX.length() : MALFORMED_PREFIX.length());
        int lineNumber = findLine(file, text);
        text = Secrets.isSecretKey(text) ? text.trim().split("[\\s=:]", 2)[0] + " " + Secrets.MASK
                : Secrets.maskUrlCredentials(text);
        String reason = unmatched ? "has unmatched quotes" : "is not KEY=VALUE";
        String where = lineNumber > 0 ? file + " line " + lineNumber : file.toString();
        return new ConfigurationException(
                "Malformed .env file " + where + ": '" + text + "' " + reason
                        + " (expected KEY=VALUE, a # comment or a blank line)",
                List.of(), null); // no cause: dotenv-java's message holds the raw line, secrets included
    }

    private static int findLine(Path file, String text) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).trim().equals(text.trim())) {
                    return i + 1;
                }
            }
        } catch (IOException ignored) {
            // The line number is a courtesy; the message still names the file and the text.
        }
        return -1;
    }
}
