package dev.callanalytics.testing;

import dev.callanalytics.app.EmbeddedStandby;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;

/**
 * A real streaming replica of a test server: a PostgreSQL hot standby started from a base backup
 * of it ({@link EmbeddedStandby}), on a port of its own. Stopped, started again, and at the end
 * removed with its replication slot, so that the primary keeps no WAL for it.
 */
public final class Standby implements AutoCloseable {

    private final PostgresServer primary;
    private final Path directory;
    private final int port;
    private EmbeddedStandby standby;

    private Standby(PostgresServer primary, Path directory, int port) {
        this.primary = primary;
        this.directory = directory;
        this.port = port;
    }

    public static Standby of(PostgresServer primary) {
        try {
            var standby = new Standby(primary, Files.createTempDirectory("call-analytics-standby-").resolve("data"), freePort());
            standby.start();
            return standby;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void start() {
        standby = EmbeddedStandby.start(primary.superuser(), primary.port(), primary.password(), directory, port);
    }

    public synchronized void stop() {
        if (standby != null) {
            standby.close();
            standby = null;
        }
    }

    /** The JDBC URL of {@code database}'s copy on the standby. */
    public String url(PostgresServer.TestDatabase database) {
        return database.url().replaceFirst("//([^/:]+):\\d+/", "//$1:" + port + "/");
    }

    /** The standby's superuser (to pause its replay, say). */
    public DataSource superuser() {
        var ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://localhost:" + port + "/postgres");
        ds.setUser("postgres");
        if (primary.password() != null) {
            ds.setPassword(primary.password());
        }
        return ds;
    }

    @Override
    public void close() throws IOException, SQLException {
        stop();
        EmbeddedStandby.dropSlot(primary.superuser());
        try (var paths = Files.walk(directory.getParent())) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
