package dev.callanalytics.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The database used when {@code DB_URL} is not set: a real PostgreSQL 18 (binaries from Maven
 * Central) run by this process, its data kept in a directory so that it survives restarts. A
 * second command started while the server runs (say {@code keys create}) attaches to the
 * running PostgreSQL instead of starting another on the same directory.
 *
 * <p>It is run as a database should be, not as the embedded library's test defaults have it:
 * durable ({@code fsync}, {@code full_page_writes} and {@code synchronous_commit} on, so that a
 * crash loses no answered write and corrupts nothing), listening on localhost only, and with
 * password authentication: a password generated at the first start is kept in
 * {@value #PASSWORD_FILE} inside the data directory (mode 0600), and {@code embedded-password}
 * prints it for {@code psql}. A data directory made by an earlier version (trust
 * authentication) is given a password at its next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    static final String PASSWORD_FILE = "call-analytics-password";
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final DatabaseSettings settings;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseSettings settings, String description) {
        this.postgres = postgres;
        this.settings = settings;
        this.description = description;
    }

    public static EmbeddedDatabase startOrAttach(Path dataDirectory, int port) {
        var running = runningPort(dataDirectory);
        if (running > 0) {
            return new EmbeddedDatabase(null, settings(running, password(dataDirectory).orElse(null)),
                                        "the embedded PostgreSQL already running on " + dataDirectory + " (port " + running + ")");
        }
        try {
            Files.createDirectories(dataDirectory);
            Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
            boolean fresh = !Files.exists(dataDirectory.resolve("postgresql.conf"));
            var password = fresh ? Optional.of(generatePassword()) : password(dataDirectory);
            var builder = durable(dataDirectory, port).setServerConfig("password_encryption", "scram-sha-256");
            password.ifPresent(secret -> builder.setConnectConfig("password", secret));
            Path passwordForInitdb = null;
            if (fresh) {
                passwordForInitdb = writePrivate(Files.createTempFile("call-analytics-initdb-", ".pw"), password.orElseThrow());
                // passed to initdb as "--auth=..." and "--pwfile=..." (the library's only way to add initdb options)
                builder.setLocaleConfig("auth", "scram-sha-256")
                       .setLocaleConfig("pwfile", passwordForInitdb.toString());
            }
            if (password.isPresent()) {
                builder.setDataDirectoryCustomizer(directory -> requirePasswords(directory.toPath(), password.get()));
            }
            EmbeddedPostgres postgres;
            try {
                postgres = builder.start();
            } finally {
                if (passwordForInitdb != null) {
                    Files.deleteIfExists(passwordForInitdb);
                }
            }
            var secret = password.orElseGet(() -> givePassword(postgres, dataDirectory));
            return new EmbeddedDatabase(postgres, settings(postgres.getPort(), secret),
                                        "the embedded PostgreSQL 18 in " + dataDirectory.toAbsolutePath().normalize()
                                        + " (localhost:" + postgres.getPort() + ", user postgres, password: run 'embedded-password';"
                                        + " set DB_URL to use another)");
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure("cannot start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage()
                                     + " (is port " + port + " taken? set EMBEDDED_DB_PORT, or DB_URL)");
        }
    }

    /**
     * A PostgreSQL of this machine run as a database should be, not as the embedded library's test
     * defaults have it: durable, on localhost only, stopped by the one shutdown sequence. The
     * primary's settings, and its standby's.
     */
    static EmbeddedPostgres.Builder durable(Path dataDirectory, int port) {
        return EmbeddedPostgres.builder()
                               .setDataDirectory(dataDirectory)
                               .setCleanDataDirectory(false)
                               .setPort(port)
                               // a large data directory may need a while to recover after a hard stop
                               .setPGStartupWait(Duration.ofMinutes(2))
                               // stopped by the one shutdown sequence, after the pools (Shutdown)
                               .setRegisterShutdownHook(false)
                               // the library turns these off for tests; here they are what keeps data
                               .setServerConfig("fsync", "on")
                               .setServerConfig("full_page_writes", "on")
                               .setServerConfig("synchronous_commit", "on")
                               .setServerConfig("listen_addresses", "localhost");
    }

    /** The password of the embedded PostgreSQL in {@code dataDirectory}, if it has one yet. */
    public static Optional<String> password(Path dataDirectory) {
        var file = dataDirectory.resolve(PASSWORD_FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new StartupFailure("cannot read " + file + ": " + e.getMessage());
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

    /** Password authentication for every connection, and the password where the next start finds it. */
    private static void requirePasswords(Path dataDirectory, String password) {
        try {
            writePrivate(dataDirectory.resolve(PASSWORD_FILE), password);
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), """
                    # Written by call-analytics at every start of its embedded PostgreSQL: a password for
                    # every connection. The password is in call-analytics-password (run 'embedded-password').
                    local   all           all                  scram-sha-256
                    host    all           all   127.0.0.1/32   scram-sha-256
                    host    all           all   ::1/128        scram-sha-256
                    # a standby on this machine streams with a role of its own (serve --replica)
                    host    replication   all   127.0.0.1/32   scram-sha-256
                    host    replication   all   ::1/128        scram-sha-256
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StartupFailure("cannot write the embedded PostgreSQL's authentication files: " + e.getMessage());
        }
    }

    /** A data directory from before passwords (trust): the superuser gets one, then passwords are required. */
    private static String givePassword(EmbeddedPostgres postgres, Path dataDirectory) {
        var password = generatePassword();
        var ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
        ds.setUser(SUPERUSER);
        try (var connection = ds.getConnection(); var statement = connection.createStatement()) {
            // the password is base64url: nothing in it needs quoting
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            requirePasswords(dataDirectory, password);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new StartupFailure("cannot give the embedded PostgreSQL a password: " + e.getMessage());
        }
        return password;
    }

    static String generatePassword() {
        var bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes {@code text} to {@code file}, readable by this user only, in one step. */
    private static Path writePrivate(Path file, String text) throws IOException {
        var temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".call-analytics-", ".tmp");
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(temporary, text + "\n", StandardCharsets.UTF_8);
        return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static DatabaseSettings settings(int port, String password) {
        return new DatabaseSettings("jdbc:postgresql://localhost:" + port + "/postgres", SUPERUSER, password);
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
