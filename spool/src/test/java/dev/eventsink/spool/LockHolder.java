package dev.eventsink.spool;

import dev.eventsink.export.FsyncPolicy;
import dev.eventsink.export.SpoolSettings;
import java.nio.file.Path;
import java.time.Duration;

/** Run in a child JVM: opens the spool in the directory given, prints {@code locked}, and holds it until stdin ends. */
final class LockHolder {

    public static void main(String[] args) throws Exception {
        SegmentSpool spool = SegmentSpool.open(new SpoolSettings(Path.of(args[0]), 1 << 20, FsyncPolicy.NEVER,
                Duration.ofSeconds(1), "holder"));
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
            // holds the lock until the parent closes our stdin
        }
        spool.close();
    }
}
