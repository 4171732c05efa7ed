package dev.callanalytics.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.exception.DataAccessException;
import org.postgresql.util.PSQLException;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every failure as the envelope: refused requests with their own status and message, a full
 * bulkhead or the database being away or too slow as 503 with Retry-After, a body that could not
 * be read as a 4xx, anything else as a generic 500 whose details go to the server log only. What
 * is logged names the kind of failure (SQL state, constraint, exception class and frames), never
 * SQL text or the values in it, which can be names or key hashes.
 */
public final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

    /** PostgreSQL's query_canceled (statement timeout) and lock_not_available (lock timeout). */
    private static final String QUERY_CANCELED = "57014";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private ErrorResponses() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorResponses::refused)
               .error(DataAccessException.class, ErrorResponses::database)
               .error(HttpException.class, ErrorResponses::transport)
               .error(UncheckedIOException.class, ErrorResponses::unreadable)
               .error(Exception.class, ErrorResponses::unexpected);
    }

    /** The last route: any path no service knows. */
    public static void unknownRoute(ServerRequest req, ServerResponse res) {
        throw ApiException.notFound("No such endpoint: " + RequestPath.loggable(req));
    }

    /** A handler for the other methods on a known path: 405, with {@code allowed} in Allow, the first named in the message. */
    public static Handler allowOnly(String allowed) {
        return (req, res) -> {
            throw ApiException.methodNotAllowed(req.prologue().method().text(), RequestPath.shown(req.path().absolute().rawPath()),
                                                allowed);
        };
    }

    private static void refused(ServerRequest req, ServerResponse res, ApiException e) {
        e.headers().forEach(res::header);
        send(req, res, e.status(), e.getMessage());
    }

    private static void database(ServerRequest req, ServerResponse res, DataAccessException e) {
        var busy = cause(e, ServiceBusy.class);
        if (busy != null) {
            refused(req, res, ApiException.unavailable(busy.getMessage(), busy.retryAfterSeconds()));
        } else if (isUnavailable(e)) {
            LOG.warning("database unavailable for " + RequestPath.loggable(req) + ": " + summary(e));
            refused(req, res, ApiException.unavailable("The database is unavailable or too slow right now; retry shortly", 5));
        } else {
            unexpected(req, res, e);
        }
    }

    /** Helidon's own refusals raised while a route runs (a malformed chunk, a bad escape). */
    private static void transport(ServerRequest req, ServerResponse res, HttpException e) {
        e.headers().forEach(res::header);
        var status = e.status().code() >= 400 && e.status().code() < 500 ? e.status() : Status.BAD_REQUEST_400;
        res.header(HeaderValues.CONNECTION_CLOSE);
        send(req, res, status, TransportErrors.badRequest(TransportErrors.classify(e)));
    }

    /**
     * The body could not be read: the client stopped sending (a read timeout), sent it too slowly,
     * or the framing broke. Whoever is still listening gets a 4xx; the connection is closed.
     */
    private static void unreadable(ServerRequest req, ServerResponse res, UncheckedIOException e) {
        res.header(HeaderValues.CONNECTION_CLOSE);
        if (e instanceof BodyTimeout timeout) {
            send(req, res, Status.REQUEST_TIMEOUT_408, timeout.getMessage());
        } else {
            send(req, res, Status.BAD_REQUEST_400, "The request body could not be read to its end: "
                                                  + TransportErrors.badRequest(TransportErrors.classify(e)));
        }
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.SEVERE, "unexpected failure of " + RequestPath.loggable(req) + ": " + summary(e), withoutMessages(e));
        send(req, res, Status.INTERNAL_SERVER_ERROR_500, "Internal server error");
    }

    /**
     * Whether a query ended at its timeout (query_canceled): where the caller can narrow what it
     * asked (a typed query, a search), that is a 400 of its own rather than the 503 given here.
     */
    public static boolean timedOut(DataAccessException e) {
        return QUERY_CANCELED.equals(e.sqlState());
    }

    private static boolean isUnavailable(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals(QUERY_CANCELED)
                    || sql.getSQLState().equals(LOCK_NOT_AVAILABLE) || sql.getSQLState().startsWith("57P")
                    // a deadlock or serialization victim still losing after its retries: worth retrying later
                    || sql.getSQLState().startsWith("40"))) {
                return true;
            }
        }
        return false;
    }

    private static void send(ServerRequest req, ServerResponse res, Status status, String message) {
        res.status(status);
        if (!req.content().consumed() && !drainable(req)) {
            // a large or endless body left unread: close the connection rather than read the rest
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        Envelope.error(message).send(req, res);
    }

    /** Bodies up to this size are read to their end after an early answer, so that the client, still sending, gets it. */
    private static final long DRAIN_LIMIT = 8L << 20;

    /**
     * Whether the unread rest of the body is small enough to read and discard: closing a
     * connection with unread bytes resets it, and a client still sending may lose the answer.
     * Helidon reads it (a body that then stalls is cut off by the read timeout).
     */
    private static boolean drainable(ServerRequest req) {
        try {
            return req.headers().first(HeaderNames.CONTENT_LENGTH).map(Long::parseLong).orElse(Long.MAX_VALUE) <= DRAIN_LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A failure as it may be logged: each exception of the chain by class, and for database
     * errors the SQL state and the names PostgreSQL reports (constraint, table, column), never a
     * message, which quotes SQL text and values.
     */
    public static String summary(Throwable e) {
        boolean fromDatabase = cause(e, SQLException.class) != null || cause(e, DataAccessException.class) != null;
        var text = new StringBuilder();
        for (var cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(cause.getClass().getSimpleName());
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                var server = psql.getServerErrorMessage();
                text.append("(sqlstate ").append(psql.getSQLState());
                appendName(text, "constraint", server.getConstraint());
                appendName(text, "table", server.getTable());
                appendName(text, "column", server.getColumn());
                appendName(text, "routine", server.getRoutine());
                text.append(')');
            } else if (cause instanceof SQLException sql) {
                text.append("(sqlstate ").append(sql.getSQLState()).append(')');
            } else if (cause instanceof DataAccessException dae) {
                text.append("(sqlstate ").append(dae.sqlState()).append(')');
            } else if (cause.getMessage() != null && !fromDatabase) {
                text.append(": ").append(Echo.of(cause.getMessage(), 160));
            }
        }
        return text.toString();
    }

    private static void appendName(StringBuilder text, String label, String name) {
        if (name != null) {
            text.append(", ").append(label).append(' ').append(name);
        }
    }

    /** The stack frames of a failure, for the log, without the messages {@link #summary} leaves out. */
    public static Throwable withoutMessages(Throwable e) {
        var frames = new Throwable(e.getClass().getName());
        frames.setStackTrace(e.getStackTrace());
        return frames;
    }

    /** The first exception of {@code type} in the cause chain of {@code e}, or null. */
    public static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (var cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
