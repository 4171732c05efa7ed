package dev.callanalytics.search;

import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.http.Routes;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

import java.util.List;

import static dev.callanalytics.auth.Scope.READ;

/** Call search across the account's assistants, page by page, and its export, under {@code /calls}. */
public final class SearchService implements HttpService {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final SearchQueries queries;
    private final Exports exports;
    private final Authenticator auth;

    /** @param ctx on the read pool, with values bound: a search carries free text */
    public SearchService(DSLContext ctx, Exports exports, Authenticator auth) {
        this.queries = new SearchQueries(ctx);
        this.exports = exports;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/", auth.require(READ, this::search));
        // GET exports; a PUT writes the call whose room is named "export", as on any other room
        var export = Routes.exact("/export", auth.require(READ, this::export));
        rules.get("/export", export)
             .head("/export", export)
             .any("/export", (req, res) -> {
                 if (req.prologue().method() == Method.PUT) {
                     res.next();
                 } else {
                     throw ApiException.methodNotAllowed(req.prologue().method().text(), "/calls/export", "GET, HEAD, PUT");
                 }
             });
    }

    private void search(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var filter = CallFilter.parse(params, params.timezone(caller.timezone()));
        boolean newestFirst = newestFirst(params);
        int limit = params.intInRange("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        var after = params.get("cursor").map(raw -> SearchCursor.decode(raw, newestFirst, filter));
        List<FoundCall> found;
        try {
            found = queries.page(caller.accountId(), filter, newestFirst, after, limit);
        } catch (DataAccessException e) {
            throw narrowOr(e, "The search ran past its " + SearchQueries.PAGE_TIME_LIMIT_SECONDS + " s limit");
        }
        var calls = found.size() > limit ? found.subList(0, limit) : found;
        String next = null;
        if (found.size() > limit) {
            var last = calls.getLast();
            next = SearchCursor.after(newestFirst, last.startedAt().toInstant(), last.roomName(), filter).encode();
        }
        Envelope.ok("Calls retrieved successfully", new Page(calls, next)).send(req, res);
    }

    private void export(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var filter = CallFilter.parse(params, params.timezone(caller.timezone()));
        boolean newestFirst = newestFirst(params);
        var format = ExportFormat.of(req, params.get("format"));
        if (req.prologue().method() == Method.HEAD) {
            // what a GET would answer, without running the export
            exports.describe(format, res);
            res.send();
            return;
        }
        try {
            exports.export(caller.accountId(), filter, newestFirst, format, res);
        } catch (DataAccessException e) {
            if (res.isSent()) {
                throw e; // mid-file: the transfer breaks off (see Exports)
            }
            throw narrowOr(e, "The export found no first row within its time limit");
        }
    }

    /**
     * A query past its timeout is a search too broad for the indexes (filters that select almost
     * nothing, read from every call of the account), which the caller can narrow: a 400, not an
     * outage. Any other failure is what it is.
     */
    private static RuntimeException narrowOr(DataAccessException e, String what) {
        if (ErrorResponses.timedOut(e)) {
            return ApiException.badRequest(what + ": narrow it with a date range, an assistant or a number");
        }
        return e;
    }

    private static boolean newestFirst(QueryParams params) {
        return params.get("sort_order").map(raw -> switch (raw) {
            case "desc" -> true;
            case "asc" -> false;
            default -> throw ApiException.badRequest("Invalid sort_order '" + Echo.of(raw) + "': use asc or desc");
        }).orElse(true);
    }

    /** {@code next}: the cursor of the following page, null on the last. */
    record Page(List<FoundCall> calls, String next) {
    }
}
