package dev.callanalytics.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A hot standby of a PostgreSQL on this machine, streaming from it: the replica of
 * {@code serve --demo --replica}, and of the tests.
 *
 * <p>The embedded distribution has no {@code pg_basebackup}, so the base backup is taken with the
 * low-level API: {@code pg_backup_start}, a copy of the primary's data directory (files may change
 * while they are copied: replaying the WAL from the backup's start makes them consistent),
 * {@code pg_backup_stop}, whose label goes into {@code backup_label}. The standby then streams from
 * a physical replication slot created before the backup, so the primary keeps every WAL segment
 * it still needs, and with {@code hot_standby_feedback}, so that a vacuum on the primary does not
 * remove rows a long query on the standby still reads (such a query would otherwise be cancelled
 * after {@code max_standby_streaming_delay}).
 *
 * <p>A data directory that is already a standby is started as it is, and catches up from its slot.
 */
public final class EmbeddedStandby implements AutoCloseable {

    /** The role the standby streams as. */
    static final String REPLICATION_ROLE = "call_analytics_replication";
    static final String SLOT = "call_analytics_standby";

    /** Not copied: the server's runtime state, and files the standby rebuilds or streams itself. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "epg-lock", "backup_label",
                                                            "tablespace_map", "standby.signal", "recovery.signal");
    private static final Set<String> EMPTIED_DIRECTORIES = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
                                                                  "pg_snapshots", "pg_stat_tmp", "pg_subtrans");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedStandby(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * A standby of the primary that {@code superuser} connects to (a superuser of it, on this
     * machine), in {@code dataDirectory} on {@code port}.
     *
     * @param primaryPort       where the standby reaches the primary (localhost)
     * @param superuserPassword the primary's superuser password, if it has one (the standby's is the same)
     */
    public static EmbeddedStandby start(DataSource superuser, int primaryPort, String superuserPassword, Path dataDirectory, int port) {
        try {
            if (!Files.exists(dataDirectory.resolve("standby.signal"))) {
                takeBaseBackup(superuser, primaryPort, dataDirectory);
            }
            var builder = EmbeddedDatabase.durable(dataDirectory, port)
                                          .setServerConfig("hot_standby", "on")
                                          .setServerConfig("hot_standby_feedback", "on")
                                          // the feedback reaches the primary within a second of a query's start
                                          .setServerConfig("wal_receiver_status_interval", "1s");
            if (superuserPassword != null) {
                builder.setConnectConfig("password", superuserPassword);
            }
            return new EmbeddedStandby(builder.start(), dataDirectory);
        } catch (IOException | SQLException e) {
            throw new StartupFailure("cannot start a standby in " + dataDirectory + ": " + e.getMessage());
        }
    }

    /** The standby's settings for the API: the primary's database and credentials, on the standby's port. */
    public DatabaseSettings settingsFor(DatabaseSettings primary) {
        return new DatabaseSettings(primary.url().replaceFirst("//localhost:\\d+/", "//localhost:" + postgres.getPort() + "/"),
                                    primary.user(), primary.password());
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the standby; its data directory stays, to be started again. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the primary's slot of a standby that is gone for good, so that the primary stops keeping WAL for it. */
    public static void dropSlot(DataSource superuser) throws SQLException {
        try (var c = superuser.getConnection(); var s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'");
        }
    }

    private static void takeBaseBackup(DataSource superuser, int primaryPort, Path target) throws SQLException, IOException {
        try (var c = superuser.getConnection()) {
            c.setAutoCommit(true);
            var password = EmbeddedDatabase.generatePassword();
            prepareReplication(c, password);
            var source = Path.of(single(c, "SHOW data_directory"));
            if (target.toAbsolutePath().normalize().startsWith(source.toAbsolutePath().normalize())) {
                throw new IOException("the standby's directory must not be inside the primary's (" + source + ")");
            }
            if (Files.exists(target) && !Files.exists(target.resolve("PG_VERSION")) && !isEmpty(target)) {
                throw new IOException(target + " holds something else than a PostgreSQL directory: move it away, or choose another");
            }
            deleteRecursively(target); // an earlier attempt that did not finish
            Files.createDirectories(target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            try (var s = c.createStatement()) {
                s.execute("SELECT pg_backup_start('call-analytics standby', true)");
            }
            String label;
            String tablespaces;
            try {
                copy(source, target);
            } finally {
                try (var s = c.createStatement(); var r = s.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                    r.next();
                    label = r.getString(1);
                    tablespaces = r.getString(2);
                }
            }
            Files.writeString(target.resolve("backup_label"), label, StandardCharsets.UTF_8);
            if (tablespaces != null && !tablespaces.isEmpty()) {
                Files.writeString(target.resolve("tablespace_map"), tablespaces, StandardCharsets.UTF_8);
            }
            // the password in the standby's own configuration, readable by this user only (the directory is 0700)
            Files.writeString(target.resolve("postgresql.auto.conf"), """

                    # call-analytics: this directory is a hot standby streaming from the PostgreSQL on port %d
                    primary_conninfo = 'host=localhost port=%d user=%s password=%s application_name=call-analytics-standby'
                    primary_slot_name = '%s'
                    """.formatted(primaryPort, primaryPort, REPLICATION_ROLE, password, SLOT), StandardCharsets.UTF_8,
                              java.nio.file.StandardOpenOption.APPEND);
            Files.createFile(target.resolve("standby.signal"));
        }
    }

    /** The replication role (a new password for it each backup) and the slot that keeps WAL for the standby. */
    private static void prepareReplication(Connection c, String password) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + REPLICATION_ROLE + "') THEN "
                      + "CREATE ROLE " + REPLICATION_ROLE + " REPLICATION LOGIN; END IF; END $$");
            c.unwrap(PGConnection.class).alterUserPassword(REPLICATION_ROLE, password.toCharArray(), "scram-sha-256");
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'");
            s.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "', true)");
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                var relative = source.relativize(dir);
                Files.createDirectories(target.resolve(relative.toString()));
                if (relative.getNameCount() == 1 && EMPTIED_DIRECTORIES.contains(relative.toString())) {
                    if (relative.toString().equals("pg_wal")) {
                        Files.createDirectories(target.resolve("pg_wal/archive_status"));
                        Files.createDirectories(target.resolve("pg_wal/summaries"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                var relative = source.relativize(file);
                if (relative.getNameCount() == 1 && SKIPPED_FILES.contains(relative.toString())
                    || relative.getFileName().toString().startsWith("pgsql_tmp")) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, target.resolve(relative.toString()), StandardCopyOption.REPLACE_EXISTING);
                } catch (NoSuchFileException gone) {
                    // dropped while copied (a table, a temporary file): the WAL replay agrees
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (var path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
