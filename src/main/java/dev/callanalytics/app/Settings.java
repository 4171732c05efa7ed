package dev.callanalytics.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the server, read from the environment: a wrong value is a
 * {@link StartupFailure} naming the variable, not a stack trace. README's "Configuration" and
 * "Operating it" sections say what each is for.
 *
 * @param database            {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}; empty: the embedded PostgreSQL
 * @param dataDirectory       {@code DATA_DIR}: the embedded PostgreSQL's files (default {@code ./data})
 * @param embeddedDatabasePort {@code EMBEDDED_DB_PORT} (default 54329)
 * @param readPoolSize        {@code DB_POOL_SIZE}: connections for reads (default 10)
 * @param writePoolSize       {@code DB_WRITE_POOL_SIZE}: connections for writes (default 5)
 * @param parallelImports     {@code PARALLEL_IMPORTS}: imports written at once, fewer than the write connections (default 2)
 * @param serverPort          {@code SERVER_PORT} (default 8080)
 * @param queryTimeout        {@code QUERY_TIMEOUT_SECONDS}: longest read or single write (default 30)
 * @param importTimeout       {@code IMPORT_TIMEOUT_SECONDS}: longest write of one import (default 1800)
 * @param maxImportBytes      {@code MAX_IMPORT_MB}: largest import body (default 2048 MiB)
 * @param spoolDirectory      {@code SPOOL_DIR}: where import bodies wait for their transaction (default the system's temporary directory)
 * @param bodyMemoryBytes     {@code BODY_MEMORY_MB}: heap that request bodies being parsed may take in all (default a quarter of the heap)
 * @param readTimeout         {@code READ_TIMEOUT_SECONDS}: longest silence inside a request (default 30)
 * @param shutdownGrace       {@code SHUTDOWN_GRACE_SECONDS}: how long requests in flight may finish at shutdown (default 20)
 * @param replica             {@code DB_REPLICA_URL}, {@code DB_REPLICA_USER}, {@code DB_REPLICA_PASSWORD} (user and password
 *                            default to the primary's): a streaming replica for the analytics and call-log reads
 * @param maxReplicaLag       {@code MAX_REPLICA_LAG_SECONDS}: past this, reads go to the primary (default 30)
 * @param exports             what call exports may hold (see {@link ExportLimits})
 */
public record Settings(Optional<DatabaseSettings> database,
                       Path dataDirectory,
                       int embeddedDatabasePort,
                       int readPoolSize,
                       int writePoolSize,
                       int parallelImports,
                       int serverPort,
                       Duration queryTimeout,
                       Duration importTimeout,
                       long maxImportBytes,
                       Path spoolDirectory,
                       long bodyMemoryBytes,
                       Duration readTimeout,
                       Duration shutdownGrace,
                       Optional<DatabaseSettings> replica,
                       Duration maxReplicaLag,
                       ExportLimits exports) {

    /**
     * @param connections {@code EXPORT_CONNECTIONS}: exports streaming at once, each on a connection of its own pool (default 2)
     * @param timeLimit   {@code EXPORT_TIME_LIMIT_SECONDS}: longest an export may stream (default 900)
     * @param stallLimit  {@code EXPORT_STALL_SECONDS}: longest an export waits on a client that takes nothing (default 30, at most 50: the database ends a transaction idle for 60 s)
     */
    public record ExportLimits(int connections, Duration timeLimit, Duration stallLimit) {
    }

    private static final long MIB = 1 << 20;

    public static Settings fromEnvironment(Map<String, String> env) {
        var database = database(env, "DB_URL", env.get("DB_USER"), env.get("DB_PASSWORD"));
        var replica = database(env, "DB_REPLICA_URL", env.getOrDefault("DB_REPLICA_USER", env.get("DB_USER")),
                               env.getOrDefault("DB_REPLICA_PASSWORD", env.get("DB_PASSWORD")));
        int writePool = integer(env, "DB_WRITE_POOL_SIZE", 5, 2, 1000);
        return new Settings(database,
                            path(env, "DATA_DIR", Path.of("data")),
                            integer(env, "EMBEDDED_DB_PORT", 54329, 1, 65535),
                            integer(env, "DB_POOL_SIZE", 10, 1, 1000),
                            writePool,
                            integer(env, "PARALLEL_IMPORTS", Math.max(1, writePool / 2), 1, writePool - 1),
                            integer(env, "SERVER_PORT", 8080, 0, 65535),
                            Duration.ofSeconds(integer(env, "QUERY_TIMEOUT_SECONDS", 30, 1, 3600)),
                            Duration.ofSeconds(integer(env, "IMPORT_TIMEOUT_SECONDS", 1800, 1, 86_400)),
                            integer(env, "MAX_IMPORT_MB", 2048, 1, 1 << 20) * MIB,
                            path(env, "SPOOL_DIR", Path.of(System.getProperty("java.io.tmpdir"))),
                            integer(env, "BODY_MEMORY_MB", (int) Math.max(16, Runtime.getRuntime().maxMemory() / 4 / MIB), 4, 1 << 20) * MIB,
                            Duration.ofSeconds(integer(env, "READ_TIMEOUT_SECONDS", 30, 1, 3600)),
                            Duration.ofSeconds(integer(env, "SHUTDOWN_GRACE_SECONDS", 20, 0, 3600)),
                            replica,
                            Duration.ofSeconds(integer(env, "MAX_REPLICA_LAG_SECONDS", 30, 1, 86_400)),
                            new ExportLimits(integer(env, "EXPORT_CONNECTIONS", 2, 1, 100),
                                             Duration.ofSeconds(integer(env, "EXPORT_TIME_LIMIT_SECONDS", 900, 1, 86_400)),
                                             Duration.ofSeconds(integer(env, "EXPORT_STALL_SECONDS", 30, 1, 50))));
    }

    /** A copy that reads from {@code replica} (serve --demo --replica, which starts one). */
    public Settings withReplica(DatabaseSettings replica) {
        return new Settings(database, dataDirectory, embeddedDatabasePort, readPoolSize, writePoolSize, parallelImports, serverPort,
                            queryTimeout, importTimeout, maxImportBytes, spoolDirectory, bodyMemoryBytes, readTimeout, shutdownGrace,
                            Optional.of(replica), maxReplicaLag, exports);
    }

    private static Optional<DatabaseSettings> database(Map<String, String> env, String name, String user, String password) {
        var url = env.get(name);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new StartupFailure(name + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '"
                                     + DatabaseSettings.mask(url) + "'");
        }
        return Optional.of(new DatabaseSettings(url, user, password));
    }

    private static Path path(Map<String, String> env, String name, Path defaultValue) {
        return Optional.ofNullable(env.get(name)).filter(dir -> !dir.isBlank()).map(Path::of).orElse(defaultValue);
    }

    private static int integer(Map<String, String> env, String name, int defaultValue, int min, int max) {
        var raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StartupFailure(name + " must be an integer from " + min + " to " + max + ", got '" + raw + "'");
    }
}
