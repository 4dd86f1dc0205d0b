package dev.eventsink.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP exchange whose whole answer, body included, must arrive within a timeout, and of whose body at most
 * {@value #MAX_BYTES} bytes are kept (the rest is not read: the connection is closed), so that no server, however
 * it answers, can hold the command or fill its memory.
 *
 * <pre>{@code
 * HttpResponse<String> response = BoundedBody.send(client, request, Duration.ofSeconds(5));
 * }</pre>
 */
final class BoundedBody {

    /** The most bytes of a body that are kept: OpenObserve's answers to the doctor are far smaller. */
    static final int MAX_BYTES = 64 * 1024;

    private BoundedBody() {}

    /**
     * Sends the request and returns the answer with at most {@value #MAX_BYTES} bytes of its body as text.
     *
     * @throws HttpTimeoutException when the whole answer did not arrive within {@code timeout}
     * @throws IOException when the exchange failed
     */
    static HttpResponse<String> send(HttpClient client, HttpRequest request, Duration timeout)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request, info -> new Limited());
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + Durations.compact(timeout));
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.ConnectException connect) {
                // as HttpClient.send reports it, so that it reads the same
                java.net.ConnectException thrown = new java.net.ConnectException(connect.getMessage());
                thrown.initCause(connect);
                throw thrown;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("the answer could not be read: " + cause, cause);
        }
    }

    private static final class Limited implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final byte[] buffer = new byte[MAX_BYTES];
        private int size;
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = Math.min(item.remaining(), buffer.length - size);
                item.get(buffer, size, n);
                size += n;
                if (item.hasRemaining()) {
                    subscription.cancel(); // more than the limit: stop reading, which closes the connection
                    result.complete(text());
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(text());
        }

        private String text() {
            return new String(Arrays.copyOf(buffer, size), StandardCharsets.UTF_8);
        }
    }
}
