package dev.callanalytics.analytics;

import dev.callanalytics.analytics.AnalyticsResponses.ByAssistant;
import dev.callanalytics.analytics.AnalyticsResponses.ByPhoneNumber;
import dev.callanalytics.analytics.AnalyticsResponses.ByService;
import dev.callanalytics.analytics.AnalyticsResponses.ByTime;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.http.Routes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.auth.Scope.READ;

/** The analytics of calls, under {@code /analytics}: the caller's account only. */
public final class AnalyticsService implements HttpService {

    private final AnalyticsQueries queries;
    private final Authenticator auth;
    private final Clock clock;

    public AnalyticsService(AnalyticsQueries queries, Authenticator auth, Clock clock) {
        this.queries = queries;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/dashboard", auth.require(READ, this::dashboard));
        Routes.get(rules, "/calls/by-assistant", auth.require(READ, this::byAssistant));
        Routes.get(rules, "/calls/by-phone-number", auth.require(READ, this::byPhoneNumber));
        Routes.get(rules, "/calls/by-time", auth.require(READ, this::byTime));
        Routes.get(rules, "/calls/by-service", auth.require(READ, this::byService));
    }

    private void dashboard(Caller caller, ServerRequest req, ServerResponse res) {
        var now = clock.instant();
        var range = DateRange.forAnalytics(QueryParams.of(req), now);
        var dashboard = queries.dashboard(caller.accountId(), range, Periods.at(now));
        Envelope.ok("Dashboard analytics fetched successfully", dashboard).send(req, res);
    }

    private void byAssistant(Caller caller, ServerRequest req, ServerResponse res) {
        var range = DateRange.forAnalytics(QueryParams.of(req), clock.instant());
        var assistants = queries.byAssistant(caller.accountId(), range);
        Envelope.ok("Calls by assistant fetched successfully", new ByAssistant(assistants)).send(req, res);
    }

    private void byPhoneNumber(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var range = DateRange.forAnalytics(params, clock.instant());
        var assistant = callersAssistant(caller, params);
        var buckets = queries.byPhoneNumber(AccountScope.of(caller.accountId()), range, assistant);
        Envelope.ok("Calls by phone number fetched successfully", new ByPhoneNumber(buckets)).send(req, res);
    }

    private void byTime(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var range = DateRange.forAnalytics(params, clock.instant());
        var granularity = params.get("granularity").map(Granularity::parse).orElse(Granularity.DAY);
        var assistant = callersAssistant(caller, params);
        var series = queries.byTime(caller.accountId(), range, granularity, assistant);
        Envelope.ok("Calls by time fetched successfully", new ByTime(series, granularity.label())).send(req, res);
    }

    private void byService(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var range = DateRange.forAnalytics(params, clock.instant());
        var assistant = callersAssistant(caller, params);
        var services = queries.byService(AccountScope.of(caller.accountId()), range, assistant);
        Envelope.ok("Calls by service fetched successfully", new ByService(services)).send(req, res);
    }

    /** The assistant_id filter, which must name one of the caller's assistants (404 otherwise). */
    private Optional<UUID> callersAssistant(Caller caller, QueryParams params) {
        return existingAssistant(queries, AccountScope.of(caller.accountId()), params);
    }

    /** The assistant_id filter, which must name an assistant of the scope (404 otherwise). */
    public static Optional<UUID> existingAssistant(AnalyticsQueries queries, AccountScope scope, QueryParams params) {
        var assistant = params.assistantId();
        assistant.filter(id -> !queries.assistantExists(scope, id))
                 .ifPresent(id -> {
                     throw ApiException.assistantNotFound(id.toString());
                 });
        return assistant;
    }
}
