package dev.eventsink.openobserve.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * Not a test: a server-only measurement to run by hand. Pre-encodes gzip {@code _json} batches shaped like the
 * openobserve sink's records (~220 bytes each: {@code _timestamp}, ids, strings and a nested {@code payload}),
 * then POSTs them from client threads to a {@code retainRecords(false)} server and prints the rate and the CPU
 * the server's threads spent per record.
 *
 * <p>Arguments: records (default 2,000,000), client threads (default 2), batch size (default 500).
 */
final class OpenObserveServerThroughput {

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int batches = Math.max(1, records / batchSize);
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            bodies.add(gzip(batch(b, batchSize)));
        }
        System.out.printf("%d batches of %d records, gzip body ~%d bytes, %d client threads%n",
                batches, batchSize, bodies.get(0).length, clients);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).maxLoggedRequests(0)
                .start()) {
            String url = server.ingestUrl("ux_events");
            String auth = server.basicAuthorization();
            // warm-up
            run(url, auth, bodies, Math.min(batches, 400), clients);
            server.clear();
            long cpu0 = serverCpuNanos(mx);
            long t0 = System.nanoTime();
            run(url, auth, bodies, batches, clients);
            long elapsed = System.nanoTime() - t0;
            long cpu = serverCpuNanos(mx) - cpu0;
            long stored = server.recordCount("ux_events");
            long sent = (long) batches * batchSize;
            if (stored != sent) {
                throw new IllegalStateException("stored " + stored + " of " + sent);
            }
            System.out.printf("server only: %.0f records/s wall; server threads %.0f ns CPU per record"
                            + " (%.0f records/s per core)%n",
                    sent / (elapsed / 1e9), (double) cpu / sent, sent / (cpu / 1e9));
        }
    }

    /** CPU time of the server's threads: its request pool and the JDK server's dispatcher. */
    private static long serverCpuNanos(ThreadMXBean mx) {
        long total = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("openobserve-server-")
                    || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    total += t;
                }
            }
        }
        return total;
    }

    private static void run(String url, String auth, List<byte[]> bodies, int batches, int clients)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < batches; ) {
                    post(url, auth, bodies.get(i % bodies.size()));
                }
            }, "client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void post(String url, String auth, byte[] body) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            c.setRequestProperty("Authorization", auth);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Content-Encoding", "gzip");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            try (InputStream in = c.getInputStream()) {
                byte[] answer = in.readAllBytes();
                if (status != 200 || new String(answer, StandardCharsets.UTF_8).contains("\"failed\":0") == false) {
                    throw new IllegalStateException(status + " " + new String(answer, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One batch as the sink writes it. */
    private static String batch(int b, int size) {
        long now = Instant.now().toEpochMilli() * 1000;
        StringBuilder json = new StringBuilder(size * 240).append('[');
        for (int j = 0; j < size; j++) {
            int i = b * size + j;
            if (j > 0) {
                json.append(',');
            }
            long ts = now - j;
            json.append("{\"_timestamp\":").append(ts)
                    .append(",\"event_id\":\"").append(UUID.randomUUID())
                    .append("\",\"event_type\":\"simulation_event\",\"event_time\":\"")
                    .append(Instant.ofEpochSecond(0, ts * 1000))
                    .append("\",\"user_id\":\"user-").append(i % 1000)
                    .append("\",\"session_id\":\"session-").append(i % 2)
                    .append("\",\"payload\":{\"agent\":").append(i % 64)
                    .append(",\"x\":").append((i % 1000) * 0.5)
                    .append(",\"y\":").append((i % 777) * 0.25)
                    .append(",\"kind\":\"agent_moved\"}}");
        }
        return json.append(']').toString();
    }

    private static byte[] gzip(String json) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
