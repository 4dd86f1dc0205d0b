package dev.eventsink.openobserve;

import dev.eventsink.spi.ConfigReader;
import dev.eventsink.spi.SinkConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated OpenObserve keys of one channel, read with {@code OpenObserveSettings.read(config.reader())}.
 * {@link #toString()} masks the credential.
 */
record OpenObserveSettings(
        URI endpoint,
        String baseUrl,
        String org,
        String stream,
        String authorization,
        TimestampMode timestampMode,
        boolean gzip,
        Duration connectTimeout,
        Duration requestTimeout) {

    private static final Logger LOG = LoggerFactory.getLogger(OpenObserveSettings.class);
    private static final Pattern ORG = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern STREAM_OUTSIDE = Pattern.compile("[^a-zA-Z0-9_:]+");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    enum Compression { GZIP, NONE }

    static OpenObserveSettings read(ConfigReader reader) {
        SinkConfig config = reader.config();
        String url = reader.required("URL", "the OpenObserve base URL, such as http://localhost:5080");
        String apiKey = reader.required("API_KEY",
                "'email:passcode' (as for curl -u) or the base64 Basic credential OpenObserve shows");
        String org = reader.string("ORG", "default");
        String stream = reader.string("STREAM", OpenObserveSinkProvider.defaultStream(config.channel()));
        TimestampMode mode = reader.choice("TIMESTAMP_MODE", TimestampMode.EVENT);
        boolean gzip = reader.choice("COMPRESSION", Compression.GZIP) == Compression.GZIP;
        Duration connect = reader.duration("CONNECT_TIMEOUT", OpenObserveSinkProvider.DEFAULT_CONNECT_TIMEOUT,
                Duration.ofMillis(1), Duration.ofMinutes(10));
        Duration request = reader.duration("REQUEST_TIMEOUT", OpenObserveSinkProvider.DEFAULT_REQUEST_TIMEOUT,
                Duration.ofMillis(1), Duration.ofHours(1));

        String baseUrl = url == null || !noControlCharacters(reader, "URL", url) ? null : baseUrl(reader, url);
        boolean apiKeyClean = apiKey == null || noControlCharacters(reader, "API_KEY", apiKey);
        String authorization = apiKey == null || !apiKeyClean ? null : authorization(reader, apiKey);
        if (!noControlCharacters(reader, "STREAM", stream)) {
            stream = OpenObserveSinkProvider.defaultStream(config.channel());
        }
        boolean orgValid = noControlCharacters(reader, "ORG", org);
        if (orgValid && !ORG.matcher(org).matches()) {
            reader.invalid("ORG", "is not an organization id", "allowed: letters, digits, _ and -");
            orgValid = false;
        }
        URI endpoint = null;
        if (baseUrl != null && orgValid) {
            endpoint = URI.create(baseUrl + "/api/" + org + "/" + encodePathSegment(stream) + "/_json");
        }
        return new OpenObserveSettings(endpoint, baseUrl, org, stream, authorization, mode, gzip, connect, request);
    }

    /** Records a problem when {@code value} holds a CR, LF or other control character: they forge headers and logs. */
    private static boolean noControlCharacters(ConfigReader reader, String suffix, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                reader.invalid(suffix, "contains a control character (such as CR or LF)",
                        "allowed: printable characters only");
                return false;
            }
        }
        return true;
    }

    /**
     * Warns, once for the sink being made, when the credential would travel unencrypted to another machine: an
     * {@code http://} URL whose host is neither {@code localhost} nor a loopback address (names other than
     * {@code localhost} are not resolved: a name that resolves to loopback still gets the warning).
     */
    void warnAboutPlainHttp(SinkConfig config) {
        URI uri = URI.create(baseUrl);
        if (uri.getScheme().equalsIgnoreCase("http") && !isLoopback(uri.getHost())) {
            LOG.warn("{}={} is plain http to a host other than this machine: the credential in {} and the events"
                    + " travel unencrypted. Use https:// unless the network between is trusted.",
                    config.key("URL"), baseUrl, config.key("API_KEY"));
        }
    }

    /**
     * Whether {@code host} (as {@link URI#getHost()} gives it) is {@code localhost}, an IPv4 address in
     * {@code 127.0.0.0/8} or the IPv6 loopback, without any name lookup.
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        Matcher ipv4 = IPV4.matcher(h);
        if (ipv4.matches()) {
            for (int group = 1; group <= 4; group++) {
                if (Integer.parseInt(ipv4.group(group)) > 255) {
                    return false;
                }
            }
            return ipv4.group(1).equals("127");
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            // URI has checked the literal's syntax; InetAddress reads it without a lookup
            try {
                return java.net.InetAddress.getByName(h).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** The stream name as OpenObserve stores it: runs outside {@code [a-zA-Z0-9_:]} become one {@code _}, lowercased. */
    static String normalizeStream(String stream) {
        return STREAM_OUTSIDE.matcher(stream).replaceAll("_").toLowerCase(Locale.ROOT);
    }

    void warnAboutRenamedStream(SinkConfig config) {
        String stored = normalizeStream(stream);
        if (!stored.equals(stream)) {
            LOG.warn("{}='{}' is not a name OpenObserve keeps as it is: it will store the events in stream '{}'. "
                    + "Set {}={} to query it by the name you configured.",
                    config.key("STREAM"), stream, stored, config.key("STREAM"), stored);
        }
    }

    private static String baseUrl(ConfigReader reader, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            reader.invalid("URL", "is not a URL (" + e.getReason() + ")", "allowed: http:// or https:// base URL "
                    + "such as http://localhost:5080");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            reader.invalid("URL", "is not an http(s) URL with a host",
                    "allowed: http:// or https:// base URL such as http://localhost:5080");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            reader.problem("URL", reader.config().key("URL") + " must not contain credentials; put them in "
                    + reader.config().key("API_KEY"));
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            reader.invalid("URL", "has a query or fragment", "allowed: a base URL such as http://localhost:5080");
            return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int api = (path + "/").indexOf("/api/");
        String origin = scheme + "://" + uri.getRawAuthority();
        if (api >= 0) {
            reader.invalid("URL", "points at an API path",
                    "allowed: the server's base URL, here " + origin + path.substring(0, api) + ", with the organization in "
                            + reader.config().key("ORG") + " and the stream in " + reader.config().key("STREAM"));
            return null;
        }
        return origin + path;
    }

    private static String authorization(ConfigReader reader, String apiKey) {
        String allowed = "allowed: 'email:passcode' (as for curl -u), or the base64 Basic credential "
                + "OpenObserve shows (its BASIC_PASSCODE)";
        if (apiKey.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reader.invalid("API_KEY", "is a Bearer token, which OpenObserve does not accept (it takes Basic auth only)",
                    allowed);
            return null;
        }
        return OpenObserveAuth.basicAuthorization(apiKey).orElseGet(() -> {
            reader.invalid("API_KEY", "is neither 'email:passcode' nor a base64 Basic credential", allowed);
            return null;
        });
    }

    private static String encodePathSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.' || c == '~' || c == ':') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "url=" + baseUrl + ", org=" + org + ", stream=" + stream + ", auth=Basic ****, timestampMode="
                + timestampMode.name().toLowerCase(Locale.ROOT) + ", compression=" + (gzip ? "gzip" : "none");
    }
}
