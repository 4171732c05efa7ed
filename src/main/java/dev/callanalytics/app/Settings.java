package dev.callanalytics.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the server, read from the environment: a wrong value is a
 * {@link StartupFailure} naming the variable, not a stack trace.
 *
 * <ul>
 *   <li>{@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}: the PostgreSQL database (JDBC URL);
 *       without {@code DB_URL}, an embedded PostgreSQL keeps its data in {@code DATA_DIR}
 *       (default {@code ./data}) and listens on {@code EMBEDDED_DB_PORT} (default 54329);
 *   <li>{@code DB_POOL_SIZE}: connections the server may hold (default 10);
 *   <li>{@code SERVER_PORT}: the HTTP port (default 8080);
 *   <li>{@code QUERY_TIMEOUT_SECONDS}: longest a query of the API may run before 503 (default 30).
 * </ul>
 */
public record Settings(Optional<DatabaseSettings> database,
                       Path dataDirectory,
                       int embeddedDatabasePort,
                       int poolSize,
                       int serverPort,
                       Duration queryTimeout) {

    public static Settings fromEnvironment(Map<String, String> env) {
        int poolSize = integer(env, "DB_POOL_SIZE", 10, 1, 1000);
        var url = env.get("DB_URL");
        Optional<DatabaseSettings> database = Optional.empty();
        if (url != null && !url.isBlank()) {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new StartupFailure("DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '" + url + "'");
            }
            database = Optional.of(new DatabaseSettings(url, env.get("DB_USER"), env.get("DB_PASSWORD"), poolSize));
        }
        var dataDirectory = Path.of(Optional.ofNullable(env.get("DATA_DIR")).filter(dir -> !dir.isBlank()).orElse("data"));
        return new Settings(database,
                            dataDirectory,
                            integer(env, "EMBEDDED_DB_PORT", 54329, 1, 65535),
                            poolSize,
                            integer(env, "SERVER_PORT", 8080, 0, 65535),
                            Duration.ofSeconds(integer(env, "QUERY_TIMEOUT_SECONDS", 30, 1, 3600)));
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
