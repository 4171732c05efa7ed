package dev.callanalytics.testing;

import dev.callanalytics.app.Database;
import dev.callanalytics.app.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server of a test JVM, and a fresh database on it for each test class.
 *
 * <p>Which server, in order of preference: the one named by {@code TEST_DATABASE_URL} (with
 * {@code TEST_DATABASE_USER} and {@code TEST_DATABASE_PASSWORD}); a Testcontainers container
 * when a Docker engine answers; otherwise an embedded PostgreSQL (real binaries from Maven
 * Central). The migrations are applied once, to a template database, and every test database
 * is a copy of it, which takes milliseconds.
 */
public final class PostgresServer {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer instance;

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String template;
    private final String description;
    private final boolean embedded;
    private static PostgresServer forReplication;

    private PostgresServer(String jdbcUrl, String user, String password, String description) {
        this.baseUrl = jdbcUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/");
        this.user = user;
        this.password = password;
        this.description = description;
        this.embedded = description.startsWith("an embedded");
        this.template = "ca_template_" + ProcessHandle.current().pid();
        createTemplate();
    }

    /** Another server than this JVM's (a benchmark's durable one), with databases of its own. */
    public static PostgresServer on(String jdbcUrl, String user, String password, String description) {
        return new PostgresServer(jdbcUrl, user, password, description);
    }

    /** The server of this JVM, started (and migrated) on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start();
            System.err.println("Tests use " + instance.description);
        }
        return instance;
    }

    /** A new database, migrated, that no other test class uses. */
    public TestDatabase newDatabase() {
        var name = template.replace("template", "db") + "_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        return new TestDatabase(baseUrl + name, user, password);
    }

    /** Drops a database made by {@link #newDatabase()} (benchmarks, to give back the disk). */
    public void dropDatabase(TestDatabase database) {
        execute("DROP DATABASE IF EXISTS " + database.url().substring(baseUrl.length()) + " WITH (FORCE)");
    }

    /** The migrated template database itself: what code generation reads. */
    public TestDatabase templateDatabase() {
        return new TestDatabase(baseUrl + template, user, password);
    }

    /**
     * A server of this machine whose files a standby can be copied from: this JVM's server when it
     * is the embedded one, else (a server at TEST_DATABASE_URL, or in a container) an embedded one
     * started for the replication tests alone.
     */
    public static synchronized PostgresServer replicable() {
        if (get().embedded) {
            return get();
        }
        if (forReplication == null) {
            forReplication = startEmbedded();
        }
        return forReplication;
    }

    /** The port the server listens on (localhost). */
    public int port() {
        var port = java.util.regex.Pattern.compile("//[^/:]+:(\\d+)/").matcher(baseUrl);
        return port.find() ? Integer.parseInt(port.group(1)) : 5432;
    }

    /** The superuser's connections to the server's maintenance database. */
    public DataSource superuser() {
        return maintenance();
    }

    public String password() {
        return password;
    }

    private static PostgresServer start() {
        var url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new PostgresServer(url, System.getenv("TEST_DATABASE_USER"),
                                      System.getenv("TEST_DATABASE_PASSWORD"), "the server at TEST_DATABASE_URL");
        }
        if (dockerAvailable()) {
            var container = new PostgreSQLContainer("postgres:18");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new PostgresServer(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                                      "a Testcontainers PostgreSQL");
        }
        return startEmbedded();
    }

    private static PostgresServer startEmbedded() {
        try {
            var embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the server's directory is temporary anyway
                }
            }));
            return new PostgresServer(embedded.getJdbcUrl("postgres", "postgres"), "postgres", null,
                                      "an embedded PostgreSQL on port " + embedded.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private void createTemplate() {
        execute("DROP DATABASE IF EXISTS " + template);
        execute("CREATE DATABASE " + template);
        Database.migrate(templateDatabase().dataSource());
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropOwnDatabases));
    }

    /** On a shared server (TEST_DATABASE_URL), leave nothing behind. */
    private void dropOwnDatabases() {
        for (int i = DATABASES.get(); i >= 1; i--) {
            quietly("DROP DATABASE IF EXISTS " + template.replace("template", "db") + "_" + i + " WITH (FORCE)");
        }
        quietly("DROP DATABASE IF EXISTS " + template + " WITH (FORCE)");
    }

    private void quietly(String sql) {
        try {
            execute(sql);
        } catch (RuntimeException ignored) {
            // best effort at exit
        }
    }

    private void execute(String sql) {
        try (Connection c = maintenance().getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private DataSource maintenance() {
        return new TestDatabase(baseUrl + "postgres", user, password).dataSource();
    }

    /** One database on the server: its JDBC URL and credentials. */
    public record TestDatabase(String url, String user, String password) {

        /** As the server's settings name it. */
        public DatabaseSettings settings() {
            return new DatabaseSettings(url, user, password);
        }

        public DataSource dataSource() {
            var ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setUser(user);
            if (password != null) {
                ds.setPassword(password);
            }
            return ds;
        }
    }
}
