package dev.callanalytics.health;

import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.Routes;
import dev.callanalytics.replica.ReplicaMonitor;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Probes for orchestrators, without a key: {@code /health/live} (the process answers) and
 * {@code /health/ready} (the database answers; every migration is applied, since the server
 * migrates before it serves, hence {@code pending_migrations} 0).
 *
 * <p>Readiness is cheap whatever the number of probes: the database is asked at most once per
 * {@link #FRESH} on a pool of its own (one connection), by whichever probe finds the last answer
 * stale, while the others answer with that last answer. With a replica, readiness also tells
 * what its monitor last found ({@code replica}: UP, LAGGING or DOWN, and
 * {@code replica_lag_seconds}); a replica down leaves the service ready, since the reads go to
 * the primary meanwhile. Helidon's health observer would answer in its own
 * JSON, not in the envelope every client of this API parses, hence these two routes.
 */
public final class HealthService implements HttpService {

    static final Duration FRESH = Duration.ofSeconds(1);

    private final DataSource probes;
    private final Optional<ReplicaMonitor> replica;
    private final AtomicReference<Probe> last = new AtomicReference<>();
    private final AtomicBoolean probing = new AtomicBoolean();

    /**
     * @param probes  the readiness pool
     * @param replica the replica's monitor, when there is a replica
     */
    public HealthService(DataSource probes, Optional<ReplicaMonitor> replica) {
        this.probes = probes;
        this.replica = replica;
        last.set(probe());
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/live", this::live);
        Routes.get(rules, "/ready", this::ready);
    }

    private void live(ServerRequest req, ServerResponse res) {
        Envelope.ok("Live", Map.of("status", "UP")).send(req, res);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        boolean up = current().databaseUp();
        var data = new LinkedHashMap<String, Object>();
        data.put("status", up ? "UP" : "DOWN");
        data.put("database", up ? "UP" : "DOWN");
        if (up) {
            data.put("pending_migrations", 0);
        }
        replica.map(ReplicaMonitor::status).ifPresent(status -> {
            data.put("replica", status.state().name());
            data.put("replica_lag_seconds", status.lagSeconds() == null ? null
                    : BigDecimal.valueOf(status.lagSeconds()).setScale(1, RoundingMode.HALF_UP));
        });
        if (!up) {
            res.status(Status.SERVICE_UNAVAILABLE_503).header("Retry-After", "5");
            new Envelope(false, "Not ready: the database does not answer", data).send(req, res);
            return;
        }
        Envelope.ok("Ready", data).send(req, res);
    }

    /** The last answer while it is fresh, or a new one if no other probe is asking already. */
    private Probe current() {
        var known = last.get();
        if (known.age().compareTo(FRESH) < 0 || !probing.compareAndSet(false, true)) {
            return known;
        }
        try {
            var fresh = probe();
            last.set(fresh);
            return fresh;
        } finally {
            probing.set(false);
        }
    }

    private Probe probe() {
        try (var connection = probes.getConnection(); var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return new Probe(true, System.nanoTime());
        } catch (SQLException | RuntimeException e) {
            return new Probe(false, System.nanoTime());
        }
    }

    /** What the database said, and when. */
    private record Probe(boolean databaseUp, long atNanos) {

        Duration age() {
            return Duration.ofNanos(System.nanoTime() - atNanos);
        }
    }
}
