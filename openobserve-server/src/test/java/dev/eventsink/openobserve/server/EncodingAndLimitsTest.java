package dev.eventsink.openobserve.server;

import static dev.eventsink.openobserve.server.Http.okBody;
import static dev.eventsink.openobserve.server.Http.request;
import static dev.eventsink.openobserve.server.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EncodingAndLimitsTest {

    private static final String BATCH = IntStream.range(0, 50)
            .mapToObj(i -> "{\"eventType\":\"click\",\"i\":" + i + ",\"page\":\"/checkout\"}")
            .collect(Collectors.joining(",", "[", "]"));

    private OpenObserveServer server = OpenObserveServer.builder().start();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(byte[] body, String contentEncoding) {
        HttpRequest.Builder request = request(server.ingestUrl("s"))
                .header("Authorization", server.basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return send(request.build());
    }

    @Test
    void gzipBodiesAreDecoded() {
        assertThat(post(Http.gzip(BATCH), "gzip").body()).isEqualTo(okBody("s", 50, 0));
        assertThat(server.records("s")).hasSize(50);
        assertThat(server.records("s").get(49)).containsEntry("i", 49L).containsEntry("eventtype", "click");
        assertThat(server.requests().get(0).contentEncoding()).isEqualTo("gzip");
        assertThat(server.requests().get(0).bodyBytes()).isEqualTo(Http.gzip(BATCH).length);
    }

    @Test
    void deflateBodiesAreDecodedZlibWrappedOrRaw() {
        assertThat(post(Http.deflate(BATCH, false), "deflate").body()).isEqualTo(okBody("s", 50, 0));
        assertThat(post(Http.deflate(BATCH, true), "deflate").body()).isEqualTo(okBody("s", 50, 0));
        assertThat(post(BATCH.getBytes(StandardCharsets.UTF_8), "identity").body()).isEqualTo(okBody("s", 50, 0));
        assertThat(server.recordCount("s")).isEqualTo(150);
    }

    @Test
    void otherEncodingsAre415() {
        HttpResponse<String> brotli = post(new byte[] {1, 2, 3}, "br");
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(brotli.body()).isEqualTo("{\"code\":415,\"message\":\"Unsupported Content-Encoding: br (OpenObserve"
                + " accepts it; this stand-in decodes gzip and deflate only)\"}");
        HttpResponse<String> compress = post(new byte[] {1, 2, 3}, "compress");
        assertThat(compress.statusCode()).isEqualTo(415);
        assertThat(compress.body()).isEqualTo("{\"code\":415,\"message\":\"Unsupported Content-Encoding: compress\"}");
        assertThat(post(new byte[] {1}, "zstd").statusCode()).isEqualTo(415);
    }

    @Test
    void aBodyThatIsNotWhatItsEncodingSaysIs400() {
        HttpResponse<String> response = post(BATCH.getBytes(StandardCharsets.UTF_8), "gzip");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"code\":400,\"message\":\"Failed to decompress the request body (gzip): ");
        assertThat(server.recordCount("s")).isZero();
    }

    @Test
    void aRawBodyOverThePayloadLimitIs413() {
        server.close();
        server = OpenObserveServer.builder().payloadLimitBytes(1000).start();
        byte[] big = BATCH.getBytes(StandardCharsets.UTF_8);
        assertThat(big.length).isGreaterThan(1000);

        HttpResponse<String> declared = post(big, null);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("{\"code\":413,\"message\":\"Payload Too Large: the request body is larger"
                + " than the payload limit of 1000 bytes (ZO_PAYLOAD_LIMIT)\"}");

        HttpResponse<String> chunked = send(request(server.ingestUrl("s"))
                .header("Authorization", server.basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertThat(chunked.statusCode()).isEqualTo(413);

        // the limit is on the raw body: a small gzip body that inflates past it is fine
        byte[] compressed = Http.gzip(BATCH);
        assertThat(compressed.length).isLessThan(1000);
        assertThat(post(compressed, "gzip").body()).isEqualTo(okBody("s", 50, 0));
        assertThat(server.recordCount("s")).isEqualTo(50);
    }

    /** A whole number of a million digits took minutes of CPU to read: numbers are bounded in length. */
    @Test
    void aNumberLongerThanTheLimitIs400AtOnce() {
        String body = "[{\"ok\":1},{\"n\":" + "7".repeat(1_000_000) + "}]";
        long start = System.nanoTime();

        HttpResponse<String> response = post(body.getBytes(StandardCharsets.UTF_8), null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"code\":400,\"message\":\"SerdeJsonError# Number value length"
                + " (1000000) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)\"}");
        assertThat(server.recordCount("s")).isZero();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
    }

    @Test
    void numbersOfTheLimitsLengthAreStored() {
        String digits = "7".repeat(IngestHandler.MAX_NUMBER_LENGTH);

        assertThat(post(("[{\"n\":" + digits + "}]").getBytes(StandardCharsets.UTF_8), null).body())
                .isEqualTo(okBody("s", 1, 0));
        assertThat(server.records("s").get(0).get("n")).isEqualTo(Double.parseDouble(digits));
    }

    @Test
    void authenticationComesBeforeThePayloadLimit() {
        server.close();
        server = OpenObserveServer.builder().payloadLimitBytes(10).start();

        HttpResponse<String> response = send(request(server.ingestUrl("s"))
                .POST(HttpRequest.BodyPublishers.ofString(BATCH)).build());

        assertThat(response.statusCode()).isEqualTo(401);
    }
}
