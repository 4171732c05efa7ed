package dev.callanalytics.app;

import java.time.Duration;
import java.util.Map;

/**
 * Every setting of the server, read from the environment: a wrong value is a
 * {@link StartupFailure} naming the variable, not a stack trace.
 *
 * <ul>
 *   <li>{@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}: the PostgreSQL database (JDBC URL);
 *   <li>{@code DB_POOL_SIZE}: connections the server may hold (default 10);
 *   <li>{@code SERVER_PORT}: the HTTP port (default 8080);
 *   <li>{@code QUERY_TIMEOUT_SECONDS}: longest a query of the API may run before 503 (default 30).
 * </ul>
 */
public record Settings(DatabaseSettings database, int serverPort, Duration queryTimeout) {

    public static Settings fromEnvironment(Map<String, String> env) {
        var url = env.get("DB_URL");
        if (url == null || url.isBlank()) {
            throw new StartupFailure("DB_URL is not set: give the JDBC URL of a PostgreSQL database, "
                                     + "e.g. DB_URL=jdbc:postgresql://localhost:5432/calls");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new StartupFailure("DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '" + url + "'");
        }
        var database = new DatabaseSettings(url, env.get("DB_USER"), env.get("DB_PASSWORD"),
                                            integer(env, "DB_POOL_SIZE", 10, 1, 1000));
        return new Settings(database,
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
