package dev.eventsink.openobserve.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests a server answered, the latest {@code maxLogged} of them, and the waits on them: each logged
 * request wakes the waiters, which check their condition again (the records a request stored are counted before
 * it is logged, so {@link OpenObserveServer#awaitRecordCount} waits here too). Thread-safe.
 *
 * <pre>{@code
 * RequestLog log = new RequestLog(100_000);
 * log.add(request);
 * boolean arrived = log.awaitRequests(1, Duration.ofSeconds(2));
 * }</pre>
 */
final class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    private final int maxLogged;
    private final ArrayDeque<ReceivedRequest> requests = new ArrayDeque<>();
    private long logged;

    RequestLog(int maxLogged) {
        this.maxLogged = maxLogged;
    }

    synchronized void add(ReceivedRequest request) {
        LOG.debug("OpenObserve stand-in: {}", request);
        if (maxLogged > 0) {
            if (requests.size() >= maxLogged) {
                requests.pollFirst();
            }
            requests.addLast(request);
        }
        logged++;
        notifyAll();
    }

    /** The kept requests, oldest first. */
    synchronized List<ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits until at least {@code count} requests were logged since start or {@link #clear}. */
    boolean awaitRequests(long count, Duration timeout) throws InterruptedException {
        return await(() -> logged >= count, timeout);
    }

    /**
     * Waits until {@code condition} holds, checking it now and each time a request is logged.
     *
     * @return whether it held before {@code timeout}
     */
    synchronized boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Forgets the requests, and runs {@code alsoForget} while no request can be logged. */
    synchronized void clear(Runnable alsoForget) {
        alsoForget.run();
        requests.clear();
        logged = 0;
    }
}
