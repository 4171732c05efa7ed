package dev.callanalytics.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The database used when {@code DB_URL} is not set: a real PostgreSQL 18 (binaries from Maven
 * Central) run by this process, its data kept in a directory so that it survives restarts. A
 * second command started while the server runs (say {@code keys create}) attaches to the
 * running PostgreSQL instead of starting another on the same directory.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final DatabaseSettings settings;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseSettings settings, String description) {
        this.postgres = postgres;
        this.settings = settings;
        this.description = description;
        if (postgres != null) {
            // Whatever the command and however it ends (Ctrl-C, SIGTERM), PostgreSQL stops with it.
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-postgres-stop"));
        }
    }

    public static EmbeddedDatabase startOrAttach(Path dataDirectory, int port, int poolSize) {
        var running = runningPort(dataDirectory);
        if (running > 0) {
            return new EmbeddedDatabase(null, settings(running, poolSize),
                                        "the embedded PostgreSQL already running on " + dataDirectory + " (port " + running + ")");
        }
        try {
            Files.createDirectories(dataDirectory);
            var postgres = EmbeddedPostgres.builder()
                                           .setDataDirectory(dataDirectory)
                                           .setCleanDataDirectory(false)
                                           .setPort(port)
                                           // a large data directory may need a while to recover after a hard stop
                                           .setPGStartupWait(Duration.ofMinutes(2))
                                           // stopped by Database.Connected, after the pool
                                           .setRegisterShutdownHook(false)
                                           .start();
            return new EmbeddedDatabase(postgres, settings(postgres.getPort(), poolSize),
                                        "the embedded PostgreSQL 18 in " + dataDirectory.toAbsolutePath().normalize()
                                        + " (localhost:" + postgres.getPort() + ", user postgres; set DB_URL to use another)");
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure("cannot start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage()
                                     + " (is port " + port + " taken? set EMBEDDED_DB_PORT, or DB_URL)");
        }
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** Which database this is, for the startup log. */
    public String description() {
        return description;
    }

    /** Stops PostgreSQL if this process started it (once, whoever asks first). */
    @Override
    public void close() {
        if (postgres != null && closed.compareAndSet(false, true)) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new IllegalStateException("cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    private static DatabaseSettings settings(int port, int poolSize) {
        return new DatabaseSettings("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null, poolSize);
    }

    /** The port of a PostgreSQL running on this directory (line 4 of postmaster.pid), or 0. */
    private static int runningPort(Path dataDirectory) {
        var pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            boolean alive = ProcessHandle.of(Long.parseLong(lines.get(0).trim())).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Integer.parseInt(lines.get(3).trim()) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
