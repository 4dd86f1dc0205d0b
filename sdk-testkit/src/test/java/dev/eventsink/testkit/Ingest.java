package dev.eventsink.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs JSON to an OpenObserve-compatible server, as a sink would, for tests that need stored records. */
final class Ingest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Ingest() {}

    /** POSTs {@code json} to {@code <url>/api/<org>/<stream>/_json} and returns the status. */
    static int post(OpenObserveConnection connection, String stream, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(connection.url() + "/api/" + connection.org() + "/"
                        + stream + "/_json"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", connection.basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
