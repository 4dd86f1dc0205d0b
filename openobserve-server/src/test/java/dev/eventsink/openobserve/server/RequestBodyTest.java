package dev.eventsink.openobserve.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    @Test
    void decodingStopsAsSoonAsTheLimitIsPassed() throws IOException {
        byte[] bomb = HostileClientsTest.gzipOfZeros(1_200_000_000L);
        RequestBody body = new RequestBody(bomb, List.of("gzip"), 1_000_000);
        long delivered = 0;
        try (InputStream in = body.open()) {
            byte[] buffer = new byte[1000];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (RequestBody.DecodedTooLarge e) {
                    assertThat(e).hasMessage("the decompressed request body is larger than the limit of 1000000 bytes");
                    break;
                }
                assertThat(n).as("the stream must not end before the limit").isPositive();
                delivered += n;
            }
        }
        assertThat(delivered).isEqualTo(1_000_000);
    }

    @Test
    void aBodyWithinTheLimitDecodesWhole() throws IOException {
        byte[] json = "[{\"a\":1}]".getBytes(StandardCharsets.UTF_8);
        RequestBody body = new RequestBody(Http.gzip("[{\"a\":1}]"), List.of("gzip"), json.length);

        try (InputStream in = body.open()) {
            assertThat(in.readAllBytes()).isEqualTo(json);
        }
        body.verifyDecodes();
    }

    @Test
    void codingsAreUndoneLastAppliedFirst() throws Exception {
        byte[] twice = gzip(Http.deflate("{\"a\":1}", true));
        RequestBody body = new RequestBody(twice, RequestBody.codings("deflate, gzip"), 1000);

        try (InputStream in = body.open()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void codingsLeaveOutIdentityAndRefuseWhatCannotBeDecoded() throws Exception {
        assertThat(RequestBody.codings(null)).isEmpty();
        assertThat(RequestBody.codings(" Identity , GZIP,x-gzip")).containsExactly("gzip", "x-gzip");
        assertThatThrownBy(() -> RequestBody.codings("gzip, br"))
                .isInstanceOf(RequestBody.UnsupportedEncoding.class)
                .hasMessage("Unsupported Content-Encoding: br (OpenObserve accepts it; this stand-in decodes gzip and"
                        + " deflate only)");
    }

    @Test
    void readingARawBodyStopsOneBytePastThePayloadLimit() throws IOException {
        AtomicLong progress = new AtomicLong();
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[10_000]);

        assertThat(RequestBody.read(in, -1, 1000, progress::set)).isNull();
        assertThat(progress.get()).isEqualTo(1001);
        assertThat(in.available()).isEqualTo(10_000 - 1001);
    }

    @Test
    void aDeclaredLengthOverThePayloadLimitIsNotRead() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[10]);

        assertThat(RequestBody.read(in, 2000, 1000, n -> {})).isNull();
        assertThat(in.available()).isEqualTo(10);
    }

    @Test
    void aRawBodyIsReadToItsDeclaredLengthOrItsEnd() throws IOException {
        byte[] bytes = new byte[200_000];
        bytes[199_999] = 7;

        assertThat(RequestBody.read(new ByteArrayInputStream(bytes), 200_000, 1_000_000, n -> {})).isEqualTo(bytes);
        assertThat(RequestBody.read(new ByteArrayInputStream(bytes), -1, 1_000_000, n -> {})).isEqualTo(bytes);
        assertThat(RequestBody.read(new ByteArrayInputStream(bytes), -1, 200_000, n -> {})).isEqualTo(bytes);
    }

    @Test
    void discardingReadsAtMostOneBytePastTheLimit() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[10_000]);

        assertThat(RequestBody.discard(in, 1000, n -> {})).isEqualTo(1001);
        assertThat(RequestBody.discard(new ByteArrayInputStream(new byte[10]), 1000, n -> {})).isEqualTo(10);
    }
}
