package dev.callanalytics.app;

import dev.callanalytics.app.Database.PoolSpec;
import dev.callanalytics.http.RequestBodies;
import dev.callanalytics.replica.ReadRouting;
import dev.callanalytics.replica.ReplicaMonitor;

import javax.sql.DataSource;
import java.util.Optional;

import java.time.Duration;

/**
 * The server's bulkheads, one pool each, so that a flood of one kind of work cannot take the
 * connections another needs: reads (analytics, call logs, and the key checks of read routes),
 * writes (ingestion, and the key checks of ingest routes) and probes (readiness, one connection);
 * and the heap that request bodies being parsed may take ({@link RequestBodies}). With a replica
 * ({@code DB_REPLICA_URL}), a pool of its own for the analytics and call-log reads, and one
 * connection to watch it. Exports stream for as long as their client reads, on a pool of their
 * own ({@code EXPORT_CONNECTIONS}). Closed after the server has stopped.
 */
public record ServerPools(Bulkhead reads, Bulkhead writes, Bulkhead probes, Bulkhead exports, RequestBodies bodies,
                          Optional<Replica> replica)
        implements AutoCloseable {

    /** The replica's pools and its monitor. */
    public record Replica(Bulkhead reads, Bulkhead probe, ReplicaMonitor monitor) implements AutoCloseable {

        @Override
        public void close() {
            monitor.close();
            reads.close();
            probe.close();
        }
    }

    /**
     * The connections of the analytics and the call logs: the replica's while it is up and
     * close behind, else the primary's. Key lookups and writes never come here.
     */
    public DataSource analyticsReads() {
        return replica.<DataSource>map(r -> new ReadRouting(reads, r.reads(), r.monitor())).orElse(reads);
    }

    /** A full pool that returns nothing for this long is stuck, not busy: answer 503 at once. */
    static final Duration STALL_WINDOW = Duration.ofMillis(300);
    /** The longest a request queues for a connection of a pool that is busy but moving. */
    static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(2);
    /** How long a request waits for the pool to open a connection (the database away: then 503). */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    /** A write waits this long for a row another write holds (an import writing the same days), then 503. */
    static final Duration WRITE_LOCK_TIMEOUT = Duration.ofSeconds(5);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** How long the start waits for the pools to open their connections (the database slow: it serves anyway). */
    static final Duration POOL_FILL_WAIT = Duration.ofSeconds(10);

    public static ServerPools open(DatabaseSettings target, Settings settings) {
        var reads = bulkhead(target, new PoolSpec("reads", settings.readPoolSize(), settings.queryTimeout(), Duration.ZERO, true,
                                                  CONNECTION_TIMEOUT, false));
        try {
            var writes = bulkhead(target, new PoolSpec("writes", settings.writePoolSize(), settings.queryTimeout(),
                                                       WRITE_LOCK_TIMEOUT, false, CONNECTION_TIMEOUT, false));
            try {
                var probes = bulkhead(target, new PoolSpec("probes", 1, PROBE_TIMEOUT, Duration.ZERO, true, CONNECTION_TIMEOUT, false));
                // the statement timeout bounds each fetch of an export's cursor, not the export (Exports bounds that)
                var exports = bulkhead(target, new PoolSpec("exports", settings.exports().connections(), settings.queryTimeout(),
                                                            Duration.ZERO, true, CONNECTION_TIMEOUT, false));
                try {
                    // Hikari opens connections one at a time, in the background: a burst of
                    // requests right after the start would find them still opening and take a
                    // slow pool for a stuck one. The server starts with its pools full.
                    reads.awaitFilled(POOL_FILL_WAIT);
                    writes.awaitFilled(POOL_FILL_WAIT);
                    var replica = settings.replica().map(on -> replica(on, settings, probes));
                    return new ServerPools(reads, writes, probes, exports, new RequestBodies(settings.bodyMemoryBytes()), replica);
                } catch (RuntimeException e) {
                    exports.close();
                    probes.close();
                    throw e;
                }
            } catch (RuntimeException e) {
                writes.close();
                throw e;
            }
        } catch (RuntimeException e) {
            reads.close();
            throw e;
        }
    }

    private static Replica replica(DatabaseSettings on, Settings settings, Bulkhead primaryProbe) {
        var reads = bulkhead(on, new PoolSpec("replica-reads", settings.readPoolSize(), settings.queryTimeout(), Duration.ZERO, true,
                                              CONNECTION_TIMEOUT, false));
        var probe = bulkhead(on, new PoolSpec("replica-probe", 1, PROBE_TIMEOUT, Duration.ZERO, true, CONNECTION_TIMEOUT, false));
        return new Replica(reads, probe, new ReplicaMonitor(primaryProbe, probe, settings.maxReplicaLag()));
    }

    private static Bulkhead bulkhead(DatabaseSettings target, PoolSpec spec) {
        return new Bulkhead(spec.name(), Database.open(target, spec), STALL_WINDOW, MAX_QUEUE_WAIT);
    }

    @Override
    public void close() {
        replica.ifPresent(Replica::close);
        reads.close();
        writes.close();
        probes.close();
        exports.close();
    }
}
