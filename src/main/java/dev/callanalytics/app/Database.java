package dev.callanalytics.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Opens connection pools, applies the migrations and builds the jOOQ contexts.
 *
 * <p>Every connection is opened with its limits set on purpose, each for a reason:
 * <ul>
 *   <li>{@code statement_timeout}: no query holds a connection longer than its kind allows
 *       (past it, PostgreSQL cancels it and the API answers 503);
 *   <li>{@code idle_in_transaction_session_timeout}: a transaction left open by a bug cannot
 *       hold its locks for ever (no transaction ever waits on a client here);
 *   <li>{@code standard_conforming_strings=on}: backslashes in string literals are plain
 *       characters, the rule jOOQ's escaping of inlined values relies on, whatever the server's
 *       configuration says;
 *   <li>PgJDBC's {@code socketTimeout} (a little longer than the statement timeout) and
 *       {@code tcpKeepAlive}: a connection whose server vanished (a half-open TCP connection)
 *       fails its request instead of waiting for the kernel's TCP timeout; {@code connectTimeout}
 *       so that a server that does not answer is noticed in seconds;
 *   <li>Hikari's {@code connectionTimeout}: a request waits about a second for a new connection
 *       when the pool must open one (the database just came back, or is away: then 503).
 * </ul>
 */
public final class Database {

    /** Longest a transaction may sit idle inside a session before PostgreSQL ends the session. */
    static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(60);

    private Database() {
    }

    /**
     * The database of the settings, migrated, with a small pool for commands: the one named by
     * DB_URL, or else the embedded PostgreSQL (started, or attached to when another command runs it).
     */
    public static Connected connect(Settings settings) {
        var embedded = settings.database().isPresent() ? null
                : EmbeddedDatabase.startOrAttach(settings.dataDirectory(), settings.embeddedDatabasePort());
        try {
            var target = embedded == null ? settings.database().orElseThrow() : embedded.settings();
            var pool = open(target, PoolSpec.commands());
            var migrated = migrate(pool);
            var description = embedded == null ? "PostgreSQL at " + target.maskedUrl() : embedded.description();
            return new Connected(target, pool, description, embedded, migrated);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * An open, migrated database: where it is, a pool for commands (and for the server's start:
     * migrations, the demo), and the embedded server when this process runs one. Closing closes
     * the pool, then stops an embedded server.
     */
    public record Connected(DatabaseSettings target, HikariDataSource dataSource, String description,
                            EmbeddedDatabase embedded, MigrateResult migrations) implements AutoCloseable {

        @Override
        public void close() {
            dataSource.close();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** What a pool is for, and the limits of its connections. */
    public record PoolSpec(String name, int size, Duration statementTimeout, Duration lockTimeout, boolean readOnly,
                           Duration connectionTimeout, boolean connectAtOnce) {

        /** Command-line work (migrations, imports from a file, rollup rebuilds): no statement timeout; fails at once without a database. */
        public static PoolSpec commands() {
            return new PoolSpec("commands", 4, Duration.ZERO, Duration.ZERO, false, Duration.ofSeconds(5), true);
        }

        /** Read by PgJDBC: a little past the statement timeout, or none when statements may run unbounded. */
        Duration socketTimeout() {
            return statementTimeout.isZero() ? Duration.ZERO : statementTimeout.plusSeconds(15);
        }
    }

    /**
     * A pool on {@code target}, failing fast with a {@link StartupFailure} when it cannot be
     * reached, so that the command line prints one line instead of a stack trace.
     */
    public static HikariDataSource open(DatabaseSettings target, PoolSpec spec) {
        var config = new HikariConfig();
        config.setJdbcUrl(target.url());
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setPoolName("call-analytics-" + spec.name());
        config.setMaximumPoolSize(spec.size());
        config.setConnectionTimeout(spec.connectionTimeout().toMillis());
        // a server's pools open even while the database is away, and answer 503 until it is back
        config.setInitializationFailTimeout(spec.connectAtOnce() ? 1 : -1);
        config.setValidationTimeout(Math.min(1000, spec.connectionTimeout().toMillis() - 1));
        // a connection to a database that went away is found out while it is idle, not by a request
        config.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
        // PgJDBC connection properties; a DB_URL that sets one of them wins
        config.addDataSourceProperty("ApplicationName", "call-analytics " + spec.name());
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", String.valueOf(spec.socketTimeout().toSeconds()));
        config.addDataSourceProperty("options", serverOptions(spec));
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StartupFailure("cannot connect to the database at " + target.maskedUrl() + ": " + rootMessage(e));
        }
    }

    private static String serverOptions(PoolSpec spec) {
        var options = new StringBuilder()
                .append("-c statement_timeout=").append(spec.statementTimeout().toMillis())
                .append(" -c lock_timeout=").append(spec.lockTimeout().toMillis())
                .append(" -c idle_in_transaction_session_timeout=").append(IDLE_IN_TRANSACTION.toMillis())
                .append(" -c standard_conforming_strings=on");
        if (spec.readOnly()) {
            // a read pool that cannot write by mistake (and runs unchanged on a hot standby);
            // plans made for the values at hand: the selectivity of a searched word or a filter
            // varies by orders of magnitude, which one generic plan for all of them cannot serve
            options.append(" -c default_transaction_read_only=on -c plan_cache_mode=force_custom_plan");
        }
        return options.toString();
    }

    /** Applies every migration of db/migration (packaged in the jar) that is not applied yet. */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure()
                     .dataSource(dataSource)
                     .locations("classpath:db/migration")
                     .load()
                     .migrate();
    }

    /** The jOOQ context of every query but the analytics': values are bound, never inlined. */
    public static DSLContext dsl(DataSource dataSource) {
        return DSL.using(dataSource, SQLDialect.POSTGRES, new org.jooq.conf.Settings().withRenderSchema(false));
    }

    /**
     * The jOOQ context of the analytics and call-log reads, the one place where values are inlined
     * (escaped by jOOQ) rather than bound: measured on the 10M-call reference set, those queries
     * ran ~5 ms slower with bind parameters than with the same values as literals, custom plans
     * or not. Every value they inline is a UUID, an instant, a date, a number or a fixed pattern;
     * free text (names, keys) always goes through {@link #dsl}.
     */
    public static DSLContext analyticsDsl(DataSource dataSource) {
        return DSL.using(dataSource, SQLDialect.POSTGRES, new org.jooq.conf.Settings()
                .withStatementType(StatementType.STATIC_STATEMENT)
                .withRenderSchema(false));
    }

    private static String rootMessage(Throwable e) {
        var root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // a connection failure says what an operator must fix (refused, authentication failed), without values
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
