package dev.callanalytics.app;

import dev.callanalytics.app.Database.PoolSpec;
import dev.callanalytics.http.RequestBodies;

import java.time.Duration;

/**
 * The server's bulkheads, one pool each, so that a flood of one kind of work cannot take the
 * connections another needs: reads (analytics, call logs, and the key checks of read routes),
 * writes (ingestion, and the key checks of ingest routes) and probes (readiness, one connection);
 * and the heap that request bodies being parsed may take ({@link RequestBodies}).
 * Closed after the server has stopped.
 */
public record ServerPools(Bulkhead reads, Bulkhead writes, Bulkhead probes, RequestBodies bodies) implements AutoCloseable {

    /** A full pool that returns nothing for this long is stuck, not busy: answer 503 at once. */
    static final Duration STALL_WINDOW = Duration.ofMillis(300);
    /** The longest a request queues for a connection of a pool that is busy but moving. */
    static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(2);
    /** How long a request waits for the pool to open a connection (the database away: then 503). */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    /** A write waits this long for a row another write holds (an import writing the same days), then 503. */
    static final Duration WRITE_LOCK_TIMEOUT = Duration.ofSeconds(5);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    public static ServerPools open(DatabaseSettings target, Settings settings) {
        var reads = bulkhead(target, new PoolSpec("reads", settings.readPoolSize(), settings.queryTimeout(), Duration.ZERO, true,
                                                  CONNECTION_TIMEOUT, false));
        try {
            var writes = bulkhead(target, new PoolSpec("writes", settings.writePoolSize(), settings.queryTimeout(),
                                                       WRITE_LOCK_TIMEOUT, false, CONNECTION_TIMEOUT, false));
            try {
                var probes = bulkhead(target, new PoolSpec("probes", 1, PROBE_TIMEOUT, Duration.ZERO, true, CONNECTION_TIMEOUT, false));
                return new ServerPools(reads, writes, probes, new RequestBodies(settings.bodyMemoryBytes()));
            } catch (RuntimeException e) {
                writes.close();
                throw e;
            }
        } catch (RuntimeException e) {
            reads.close();
            throw e;
        }
    }

    private static Bulkhead bulkhead(DatabaseSettings target, PoolSpec spec) {
        return new Bulkhead(spec.name(), Database.open(target, spec), STALL_WINDOW, MAX_QUEUE_WAIT);
    }

    @Override
    public void close() {
        reads.close();
        writes.close();
        probes.close();
    }
}
