package dev.eventsink.openobserve;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The first bytes of an HTTP answer's body, at most a fixed limit: what the sink needs to read OpenObserve's status
 * JSON or error message. Past the limit the subscription is cancelled, which closes the connection, so that no
 * body a server sends, however large, is held in memory or read to its end.
 *
 * <pre>{@code
 * client.sendAsync(request, ResponseBody.handler(64 * 1024))   // HttpResponse<ResponseBody>
 * }</pre>
 */
final class ResponseBody {

    private final byte[] bytes;
    private final boolean truncated;

    private ResponseBody(byte[] bytes, boolean truncated) {
        this.bytes = bytes;
        this.truncated = truncated;
    }

    /** A body handler that keeps at most {@code limit} bytes of any body. */
    static HttpResponse.BodyHandler<ResponseBody> handler(int limit) {
        return info -> new Limited(limit);
    }

    /** The body as UTF-8 text (a character cut by the limit becomes U+FFFD). */
    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the server sent more than the limit. */
    boolean truncated() {
        return truncated;
    }

    private static final class Limited implements HttpResponse.BodySubscriber<ResponseBody> {
        private final CompletableFuture<ResponseBody> result = new CompletableFuture<>();
        private final byte[] buffer;
        private int size;
        private Flow.Subscription subscription;

        Limited(int limit) {
            this.buffer = new byte[limit];
        }

        @Override
        public CompletionStage<ResponseBody> getBody() {
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
                    // More than the limit: stop reading; cancelling closes the connection.
                    subscription.cancel();
                    result.complete(new ResponseBody(java.util.Arrays.copyOf(buffer, size), true));
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
            result.complete(new ResponseBody(java.util.Arrays.copyOf(buffer, size), false));
        }
    }
}
