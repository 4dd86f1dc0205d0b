package dev.eventsink.benchmarks;

import dev.eventsink.openobserve.server.JvmSettings;
import dev.eventsink.openobserve.server.OpenObserveServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The receiver of the end-to-end programs: the OpenObserve-compatible server on 127.0.0.1 (records counted, not
 * kept), run as a program of its own so that its CPU is not the measured process's. {@link ReceiverProcess} starts
 * it and talks to it over its standard input and output:
 *
 * <pre>
 * (started)   prints: READY http://127.0.0.1:PORT root@example.com:PASSWORD
 * count       prints: COUNT records cpuNanos       (records accepted so far, the receiver's process CPU time)
 * quit        ends it (so does the end of its input)
 * </pre>
 */
public final class Receiver {

    private Receiver() {}

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        try (OpenObserveServer server = OpenObserveServer.builder().retainRecords(false).start()) {
            System.out.println("READY " + server.url() + " " + server.email() + ":" + server.password());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("count")) {
                    System.out.println("COUNT " + total(server) + " " + cpuNanos());
                    System.out.flush();
                } else if (line.equals("quit")) {
                    return;
                }
            }
        }
    }

    private static long total(OpenObserveServer server) {
        long total = 0;
        for (String org : server.orgs()) {
            for (String stream : server.streams(org)) {
                total += server.recordCount(org, stream);
            }
        }
        return total;
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
