package dev.callanalytics.ingest;

import dev.callanalytics.http.ApiException;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The one way calls are written, whether one report, a webhook or an import of millions: staged
 * calls ({@link StagedCalls}, read and validated before anything here runs) are COPYed into a
 * temporary table, then {@link IngestQueries} merges them into calls and transcripts with
 * set-based statements, all in one transaction. A transaction that is not committed leaves
 * nothing behind.
 *
 * <p>Writes that collide are not errors: the merge takes its locks in one global order (see
 * {@link IngestQueries#lockAssistants}), and a transaction PostgreSQL still picks as a deadlock
 * victim (a concurrent hand-written UPDATE can take another order) is run again from its staged
 * rows, a few times at most.
 */
public final class CallWriter {

    private static final Logger LOG = Logger.getLogger(CallWriter.class.getName());

    /** deadlock_detected and serialization_failure: the transaction may simply be run again. */
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION = "40001";
    static final int ATTEMPTS = 4;

    /** How a write is bounded: single writes by the pool's timeouts, imports by their own. */
    public record Limits(Path spoolDirectory, Duration importTimeout, int parallelImports) {

        /** For the command line: an import may take as long as it takes, one at a time. */
        public static Limits commandLine() {
            return new Limits(Path.of(System.getProperty("java.io.tmpdir")), Duration.ZERO, 1);
        }
    }

    /** Whether a write is one report (the write pool's limits) or an import (its own). */
    public enum Kind { SINGLE, IMPORT }

    /** How long a single write waits for an import of the same assistant before it is a 503. */
    static final Duration SINGLE_WRITE_WAIT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Limits limits;
    /** Imports hold write connections for long; they may take only some, so single writes always find one. */
    private final Semaphore importSlots;
    private final WriteGates gates = new WriteGates();

    public CallWriter(DataSource dataSource, Limits limits) {
        this.dataSource = dataSource;
        this.limits = limits;
        this.importSlots = new Semaphore(limits.parallelImports(), true);
    }

    /** A new, empty set of staged calls, spooled where this writer's imports spool. */
    public StagedCalls stage() {
        return new StagedCalls(limits.spoolDirectory());
    }

    /** Writes one call in a transaction of its own. */
    public WriteSummary writeOne(UUID account, IncomingCall call) {
        try (var staged = stage()) {
            staged.add(1, call);
            return write(account, staged, Kind.SINGLE);
        }
    }

    /** Writes the staged calls of {@code account} in one transaction, run again if it was a deadlock victim. */
    public WriteSummary write(UUID account, StagedCalls staged, Kind kind) {
        if (kind == Kind.IMPORT) {
            acquireImportSlot();
        }
        // the command line's imports (no timeout) wait as long as it takes
        var wait = kind == Kind.SINGLE ? SINGLE_WRITE_WAIT : limits.importTimeout().isZero() ? Duration.ofDays(1) : limits.importTimeout();
        try (var passage = gates.enter(account, staged.assistants(), staged.manyAssistants(), wait)) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return attempt(account, staged, kind);
                } catch (SQLException | DataAccessException e) {
                    var state = e instanceof SQLException sql ? sql.getSQLState() : ((DataAccessException) e).sqlState();
                    if (attempt == ATTEMPTS || !(DEADLOCK.equals(state) || SERIALIZATION.equals(state))) {
                        throw e instanceof SQLException sql ? new IngestFailure(sql) : (DataAccessException) e;
                    }
                    LOG.info("a write of " + staged.calls() + " call(s) was a " + state + " victim; attempt "
                             + (attempt + 1) + " of " + ATTEMPTS);
                    pause(attempt);
                }
            }
        } finally {
            if (kind == Kind.IMPORT) {
                importSlots.release();
            }
        }
    }

    private WriteSummary attempt(UUID account, StagedCalls staged, Kind kind) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                var ctx = DSL.using(connection, SQLDialect.POSTGRES, new Settings().withRenderSchema(false));
                if (kind == Kind.IMPORT && !limits.importTimeout().isZero()) {
                    // an import may run longer than a single write: its own statement and lock
                    // timeouts, and a socket timeout past them
                    long millis = limits.importTimeout().toMillis();
                    connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, millis + 15_000));
                    ctx.execute("SET LOCAL statement_timeout = " + millis);
                    ctx.execute("SET LOCAL lock_timeout = " + millis);
                }
                IngestQueries.prepareStaging(ctx);
                try (var rows = staged.rows()) {
                    connection.unwrap(PGConnection.class).getCopyAPI().copyIn(StagedCalls.COPY_SQL, rows, 1 << 16);
                }
                var summary = IngestQueries.merge(ctx, account, staged.calls());
                commit(connection);
                return summary;
            } catch (IOException e) {
                rollback(connection);
                throw new UncheckedIOException("cannot read the staged calls: " + e.getMessage(), e);
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection);
                throw e;
            }
        }
    }

    /**
     * An explicit rename of one of {@code account}'s assistants; false when it has no such
     * assistant. Behind the same gate as the assistant's calls.
     */
    public boolean renameAssistant(UUID account, UUID assistant, String name) {
        try (var passage = gates.enter(account, new TreeSet<>(Set.of(assistant)), false, SINGLE_WRITE_WAIT)) {
            return IngestQueries.renameAssistant(DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withRenderSchema(false)),
                                                 account, assistant, name);
        }
    }

    /**
     * Commits; when the connection fails during the commit, whether PostgreSQL had made the
     * transaction durable is unknown, and the caller is told so: every write is idempotent, so
     * sending it again is always right.
     */
    private static void commit(Connection connection) throws SQLException {
        try {
            connection.commit();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw ApiException.unavailable("The database went away while this write was being committed: it may or may not "
                                               + "have been written; send it again (a write sent twice is written once)", 5);
            }
            throw e;
        }
    }

    private void acquireImportSlot() {
        try {
            long waitMillis = limits.importTimeout().isZero() ? Long.MAX_VALUE : limits.importTimeout().toMillis();
            if (!importSlots.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw ApiException.unavailable("Every import slot (" + limits.parallelImports() + ") stayed busy; retry later", 30);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("The server is shutting down; retry shortly", 5);
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool discards it, and PostgreSQL has rolled back
        }
    }

    /** A short, random pause, so that two victims do not collide again in step. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The database refused or failed a write; answered like any other database failure. */
    public static final class IngestFailure extends DataAccessException {
        IngestFailure(SQLException cause) {
            super("write failed (sqlstate " + cause.getSQLState() + ")", cause);
        }
    }
}
