package dev.callanalytics.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.exception.DataAccessException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every failure as the envelope: refused requests with their own status and message, the
 * database being away or too slow as 503 with Retry-After, anything else as a generic 500 whose
 * details go to the server log only.
 */
public final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

    /** PostgreSQL's query_canceled: the statement timeout fired. */
    private static final String QUERY_CANCELED = "57014";

    private ErrorResponses() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorResponses::refused)
               .error(DataAccessException.class, ErrorResponses::database)
               .error(Exception.class, ErrorResponses::unexpected);
    }

    /** The last route: any path no service knows. */
    public static void unknownRoute(ServerRequest req, ServerResponse res) {
        throw ApiException.notFound("No such endpoint: " + loggable(req));
    }

    /** A handler for the other methods on a known path. */
    public static Handler allowOnly(String allowed) {
        return (req, res) -> {
            throw ApiException.methodNotAllowed(req.prologue().method().text(), redactedPath(req), allowed);
        };
    }

    /**
     * The request as it may be logged or echoed: method and path, with the webhook's token (an
     * API key) cut out. Query strings are left out, too.
     */
    public static String loggable(ServerRequest req) {
        return req.prologue().method().text() + " " + redactedPath(req);
    }

    private static String redactedPath(ServerRequest req) {
        return req.path().absolute().path().replaceFirst("^(/webhooks/end-call/)[^/]*", "$1<token>");
    }

    private static void refused(ServerRequest req, ServerResponse res, ApiException e) {
        e.headers().forEach(res::header);
        send(res, e.status(), e.getMessage());
    }

    private static void database(ServerRequest req, ServerResponse res, DataAccessException e) {
        if (isUnavailable(e)) {
            LOG.log(Level.WARNING, "database unavailable for " + loggable(req) + ": " + e.getMessage());
            refused(req, res, ApiException.unavailable("The database is unavailable or too slow right now; retry shortly"));
        } else {
            unexpected(req, res, e);
        }
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.SEVERE, "unexpected failure of " + loggable(req), e);
        send(res, Status.INTERNAL_SERVER_ERROR_500, "Internal server error");
    }

    private static boolean isUnavailable(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals(QUERY_CANCELED)
                    || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static void send(ServerResponse res, Status status, String message) {
        res.status(status);
        res.send(Envelope.error(message));
    }
}
