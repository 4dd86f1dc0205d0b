package dev.eventsink.openobserve;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The first bytes of an HTTP answer's body, at most a fixed limit: what the sink needs to read OpenObserve's status
 * JSON or error message. Past the limit the subscription is cancelled, which closes the connection, so that no
 * body a server sends, however large, is held in memory or read to its end.
 *
 * <pre>{@code
 * client.send(request, ResponseBody.handler(64 * 1024, deadlineNanos))   // HttpResponse<ResponseBody>
 * }</pre>
 */
final class ResponseBody {

    private final byte[] bytes;
    private final boolean truncated;

    private ResponseBody(byte[] bytes, boolean truncated) {
        this.bytes = bytes;
        this.truncated = truncated;
    }

    /**
     * A body handler that keeps at most {@code limit} bytes of any body and fails with a {@link TimeoutException}
     * (cancelling the subscription, which closes the connection) unless the whole body arrived by
     * {@code deadlineNanos} ({@link System#nanoTime()}).
     */
    static HttpResponse.BodyHandler<ResponseBody> handler(int limit, long deadlineNanos) {
        return info -> new Limited(limit, deadlineNanos);
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
        /** Room for OpenObserve's status JSON, so that an ordinary answer is read without growing. */
        private static final int INITIAL_BYTES = 512;
        private final CompletableFuture<ResponseBody> result = new CompletableFuture<>();
        private final int limit;
        /** Grows up to {@link #limit} as bytes arrive: most answers are a few hundred bytes. */
        private byte[] buffer;
        private int size;
        private volatile Flow.Subscription subscription;

        Limited(int limit, long deadlineNanos) {
            this.limit = limit;
            this.buffer = new byte[Math.min(limit, INITIAL_BYTES)];
            // orTimeout runs on the JDK's one delay thread and is cancelled when the body completes in time.
            result.orTimeout(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .whenComplete((body, error) -> {
                        if (error instanceof TimeoutException) {
                            cancel();
                        }
                    });
        }

        private void cancel() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }

        @Override
        public CompletionStage<ResponseBody> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (result.isDone()) {
                subscription.cancel(); // the deadline passed before the body began
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return; // timed out: the subscription is cancelled
            }
            for (ByteBuffer item : items) {
                int n = Math.min(item.remaining(), limit - size);
                if (size + n > buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, Math.min(limit, Math.max(size + n, buffer.length * 2)));
                }
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
