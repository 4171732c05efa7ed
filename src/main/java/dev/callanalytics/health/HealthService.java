package dev.callanalytics.health;

import dev.callanalytics.app.Database;
import dev.callanalytics.http.Envelope;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Map;

/**
 * Probes for orchestrators, without a key: {@code /health/live} (the process answers) and
 * {@code /health/ready} (the database answers and every migration is applied).
 */
public final class HealthService implements HttpService {

    private final DataSource dataSource;

    public HealthService(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", this::live)
             .get("/ready", this::ready);
    }

    private void live(ServerRequest req, ServerResponse res) {
        res.send(Envelope.ok("Live", Map.of("status", "UP")));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        int pending;
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            pending = Database.pendingMigrations(dataSource);
        } catch (SQLException | RuntimeException e) {
            res.status(Status.SERVICE_UNAVAILABLE_503).header("Retry-After", "5")
               .send(new Envelope(false, "Not ready: the database does not answer", Map.of("status", "DOWN", "database", "DOWN")));
            return;
        }
        if (pending > 0) {
            res.status(Status.SERVICE_UNAVAILABLE_503).header("Retry-After", "5")
               .send(new Envelope(false, "Not ready: " + pending + " migration(s) not applied yet",
                                  Map.of("status", "DOWN", "database", "UP", "pending_migrations", pending)));
            return;
        }
        res.send(Envelope.ok("Ready", Map.of("status", "UP", "database", "UP", "pending_migrations", 0)));
    }
}
