package dev.callanalytics.calllogs;

import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.http.RequestPath;
import dev.callanalytics.http.Routes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.DSLContext;

import java.util.List;

import static dev.callanalytics.auth.Scope.READ;

/** The call logs of one assistant, page by page, under {@code /assistant}. */
public final class CallLogsService implements HttpService {

    private final CallLogsQueries queries;
    private final Authenticator auth;

    public CallLogsService(DSLContext ctx, Authenticator auth) {
        this.queries = new CallLogsQueries(ctx);
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/call-logs/{assistant_id}", auth.require(READ, this::callLogs));
    }

    private void callLogs(Caller caller, ServerRequest req, ServerResponse res) {
        var rawId = RequestPath.segment(req, 2, "assistant_id");
        var assistantId = QueryParams.assistantUuid(rawId);
        var params = QueryParams.of(req);
        var request = LogsRequest.parse(assistantId, params, params.timezone(caller.timezone()));
        var page = queries.page(caller.accountId(), request)
                          .orElseThrow(() -> ApiException.assistantNotFound(rawId));
        var pagination = Pagination.of(page.total(), request.page(), request.limit());
        Envelope.ok("Call logs retrieved successfully", new CallLogsPage(page.logs(), pagination)).send(req, res);
    }

    record CallLogsPage(List<CallLog> logs, Pagination pagination) {
    }

    /** {@code total_pages} is ceil(total / limit): 0 when nothing matches. */
    record Pagination(long total, int page, int limit, long totalPages) {

        static Pagination of(long total, int page, int limit) {
            return new Pagination(total, page, limit, (total + limit - 1) / limit);
        }
    }
}
