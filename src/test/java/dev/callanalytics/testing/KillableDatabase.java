package dev.callanalytics.testing;

import dev.callanalytics.app.Database;
import dev.callanalytics.app.DatabaseSettings;
import dev.callanalytics.app.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The server's own embedded PostgreSQL (durable, with its password), in a directory of its own,
 * that a test can kill with SIGKILL, stop cleanly and start again on the same port and data: for
 * the faults a database really has, which the shared test server must not suffer.
 */
public final class KillableDatabase implements AutoCloseable {

    private final Path directory;
    private final int port;
    private EmbeddedDatabase running;

    public KillableDatabase() {
        try {
            this.directory = Files.createTempDirectory("call-analytics-faults-");
            try (var free = new ServerSocket(0)) {
                this.port = free.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
        var settings = running.settings();
        try (var pool = Database.open(settings, Database.PoolSpec.commands())) {
            Database.migrate(pool);
        }
    }

    public DatabaseSettings settings() {
        return running.settings();
    }

    public Path directory() {
        return directory;
    }

    /** Starts PostgreSQL on the directory (recovering from a crash if it was killed). */
    public void start() {
        running = EmbeddedDatabase.startOrAttach(directory.resolve("data"), port);
    }

    /** Stops PostgreSQL cleanly (a fast shutdown: sessions are ended, nothing committed is lost). */
    public void stop() {
        running.close();
    }

    /** SIGKILL to PostgreSQL and every one of its processes at once: a crash, as a power cut leaves it to the disk. */
    public void kill() {
        try {
            long pid = Long.parseLong(Files.readAllLines(directory.resolve("data").resolve("postmaster.pid")).getFirst().trim());
            var postmaster = ProcessHandle.of(pid).orElseThrow();
            var processes = new java.util.ArrayList<ProcessHandle>();
            postmaster.descendants().forEach(processes::add);
            processes.add(postmaster);
            processes.forEach(ProcessHandle::destroyForcibly);
            for (var process : processes) {
                process.onExit().join();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // let go of what the library holds (its lock file); pg_ctl stop fails quietly on a dead server
        running.close();
    }

    @Override
    public void close() {
        running.close();
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
