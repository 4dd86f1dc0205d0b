package dev.eventsink.openobserve.server;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that serve the JDK server's exchanges, and the deadline that bounds how long each waits on its
 * client.
 *
 * <p>The JDK's {@code HttpServer} reads a request's headers on the thread that then runs the handler, with
 * blocking reads and no timeout of its own (its {@code sun.net.httpserver.maxReqTime} is JVM-wide, read once,
 * and counted in whole seconds). So each exchange runs here under a deadline, armed from the moment the thread
 * takes the connection: a watchdog interrupts a thread whose armed deadline has passed, which closes its
 * connection (a blocked channel read or write ends with {@link java.nio.channels.ClosedByInterruptException}).
 * The handler {@linkplain #serverTurn() stops the deadline} while the server works for itself (waiting for an
 * ingestion slot, decoding, ingesting, an injected delay) and {@linkplain #clientTurn() restarts it} each time it
 * waits on the client again: for the body, then for the answer to be taken in.
 *
 * <p>Exchanges get a thread each, up to {@link #MAX_THREADS}, so a few slow clients cannot make others (or
 * {@code /healthz}) wait; past that a new connection is closed at once. Thread-safe. For example a client that
 * sends its headers and then nothing has its connection closed once the request timeout has passed.
 */
final class ClientDeadlines {

    /** The most exchanges served at once; the connection of one more is closed without an answer. */
    static final int MAX_THREADS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ClientDeadlines.class);

    private final long timeoutNanos;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor watchdog;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Watch> current = new ThreadLocal<>();

    /**
     * @param timeout how long a client has for each step
     * @param threadNames the prefix of the daemon threads' names: {@code <prefix>-1}, … and
     *     {@code <prefix>-watchdog}
     */
    ClientDeadlines(Duration timeout, String threadNames) {
        this.timeoutNanos = timeout.toNanos();
        AtomicInteger ids = new AtomicInteger();
        ThreadFactory exchangeThreads = r -> daemon(r, threadNames + "-" + ids.incrementAndGet());
        ThreadFactory watchdogThread = r -> daemon(r, threadNames + "-watchdog");
        this.pool = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                exchangeThreads, (task, executor) -> {
                    LOG.warn("OpenObserve stand-in: {} requests in progress; closing a new connection",
                            MAX_THREADS);
                    throw new RejectedExecutionException("too many requests in progress");
                });
        this.watchdog = new ScheduledThreadPoolExecutor(1, watchdogThread);
        long tick = Math.max(10_000_000L, Math.min(250_000_000L, timeoutNanos / 10));
        watchdog.scheduleWithFixedDelay(this::expireOverdue, tick, tick, TimeUnit.NANOSECONDS);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The executor to give the JDK server: runs each exchange under a deadline armed at once. */
    Executor executor() {
        return this::execute;
    }

    private void execute(Runnable exchange) {
        pool.execute(() -> {
            Watch watch = new Watch(Thread.currentThread());
            watch.arm(System.nanoTime() + timeoutNanos);
            watches.add(watch);
            current.set(watch);
            try {
                exchange.run();
            } finally {
                watch.disarm();
                watches.remove(watch);
                current.remove();
                Thread.interrupted(); // an interrupt meant for this exchange must not reach the next one
            }
        });
    }

    /** The client's turn: it has the full timeout, from now, for its next step. */
    void clientTurn() {
        Watch watch = current.get();
        if (watch != null) {
            watch.arm(System.nanoTime() + timeoutNanos);
        }
    }

    /** The server's turn: no deadline until the next {@link #clientTurn()}. */
    void serverTurn() {
        Watch watch = current.get();
        if (watch != null) {
            watch.disarm();
        }
    }

    /** Whether the current exchange's client ran out of time (its connection is then closed). */
    boolean expired() {
        Watch watch = current.get();
        return watch != null && watch.expired();
    }

    private void expireOverdue() {
        long now = System.nanoTime();
        for (Watch watch : watches) {
            watch.expireIfDue(now);
        }
    }

    /** Ends every exchange thread and the watchdog; waits up to 5 s for them. */
    void close() {
        watchdog.shutdownNow();
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS) || !watchdog.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.warn("OpenObserve stand-in: request threads still running after 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One exchange's deadline. The lock makes arming, disarming and expiring atomic with the interrupt. */
    private static final class Watch {
        private final Thread thread;
        private long deadline;
        private boolean armed;
        private boolean expired;

        Watch(Thread thread) {
            this.thread = thread;
        }

        synchronized void arm(long deadline) {
            if (!expired) {
                this.deadline = deadline;
                this.armed = true;
            }
        }

        synchronized void disarm() {
            armed = false;
        }

        synchronized boolean expired() {
            return expired;
        }

        synchronized void expireIfDue(long now) {
            if (armed && now - deadline >= 0) {
                armed = false;
                expired = true;
                thread.interrupt();
            }
        }
    }
}
