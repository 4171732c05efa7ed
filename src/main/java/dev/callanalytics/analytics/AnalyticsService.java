package dev.callanalytics.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.analytics.AnalyticsQueries.QueryAnswer;
import dev.callanalytics.analytics.AnalyticsResponses.ByAssistant;
import dev.callanalytics.analytics.AnalyticsResponses.ByEndReason;
import dev.callanalytics.analytics.AnalyticsResponses.ByPhoneNumber;
import dev.callanalytics.analytics.AnalyticsResponses.ByService;
import dev.callanalytics.analytics.AnalyticsResponses.ByStatus;
import dev.callanalytics.analytics.AnalyticsResponses.ByTime;
import dev.callanalytics.analytics.AnalyticsResponses.ByType;
import dev.callanalytics.analytics.AnalyticsResponses.Change;
import dev.callanalytics.analytics.AnalyticsResponses.EndReasonTotals;
import dev.callanalytics.analytics.AnalyticsResponses.PeriodTotals;
import dev.callanalytics.analytics.AnalyticsResponses.StatusTotals;
import dev.callanalytics.analytics.AnalyticsResponses.TimeBucket;
import dev.callanalytics.analytics.AnalyticsResponses.TypeTotals;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.http.Instants;
import dev.callanalytics.http.Json;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.http.RequestBodies;
import dev.callanalytics.http.Routes;
import dev.callanalytics.ingest.IncomingCall;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.auth.Scope.READ;

/** The analytics of calls, under {@code /analytics}: the caller's account only, in its time zone or the one asked for. */
public final class AnalyticsService implements HttpService {

    /** A typed query's body: a few names and values. */
    static final int MAX_QUERY_BYTES = 64 * 1024;

    private final DSLContext ctx;
    private final AnalyticsQueries queries;
    private final Authenticator auth;
    private final RequestBodies bodies;
    private final Clock clock;

    public AnalyticsService(DSLContext ctx, Authenticator auth, RequestBodies bodies, Clock clock) {
        this.ctx = ctx;
        this.queries = new AnalyticsQueries(ctx);
        this.bodies = bodies;
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
        Routes.get(rules, "/calls/by-status", auth.require(READ, this::byStatus));
        Routes.get(rules, "/calls/by-type", auth.require(READ, this::byType));
        Routes.get(rules, "/calls/by-end-reason", auth.require(READ, this::byEndReason));
        Routes.write(rules, "POST", "/query", auth.require(READ, this::query));
    }

    private void dashboard(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var compare = q.params().get("compare").map(AnalyticsService::comparePrevious).orElse(false);
        var include = Include.of(q.params(), true);
        var dashboard = queries.dashboard(caller.accountId(), q.range(), Periods.at(q.now(), q.zone()), include).in(q.zoneLabel());
        if (compare) {
            // the period of the same length that ends just before this one starts
            var length = Duration.between(q.range().startDate(), q.range().endDate());
            var end = q.range().startDate().minus(1, ChronoUnit.MICROS);
            var before = new DateRange(latest(end.minus(length), Instants.EARLIEST), end);
            var scope = AccountScope.of(caller.accountId());
            var then = queries.totals(scope, before);
            dashboard = dashboard.against(PeriodTotals.of(then, before), Change.between(then, queries.totals(scope, q.range())));
        }
        Envelope.ok("Dashboard analytics fetched successfully", dashboard).send(req, res);
    }

    private void byAssistant(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var assistants = queries.byAssistant(caller.accountId(), q.range(), Include.of(q.params(), true));
        Envelope.ok("Calls by assistant fetched successfully", new ByAssistant(assistants, q.zoneLabel())).send(req, res);
    }

    private void byPhoneNumber(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var assistant = callersAssistant(caller, q.params());
        var buckets = queries.byPhoneNumber(AccountScope.of(caller.accountId()), q.range(), assistant, Include.of(q.params(), false));
        Envelope.ok("Calls by phone number fetched successfully", new ByPhoneNumber(buckets, q.zoneLabel())).send(req, res);
    }

    private void byTime(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var granularity = q.params().get("granularity").map(Granularity::parse).orElse(Granularity.DAY);
        var assistant = callersAssistant(caller, q.params());
        var fill = q.params().get("fill").map(AnalyticsService::fillZero).orElse(false);
        var include = Include.of(q.params(), false);
        var series = queries.byTime(caller.accountId(), q.range(), granularity, assistant, q.zone(), include);
        if (fill) {
            series = withEmptyBuckets(series, granularity.buckets(q.range().startDate(), q.range().endDate(), q.zone()), granularity,
                                      include);
        }
        Envelope.ok("Calls by time fetched successfully", new ByTime(series, granularity.label(), q.zoneLabel())).send(req, res);
    }

    private void byService(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var assistant = callersAssistant(caller, q.params());
        var services = queries.byService(AccountScope.of(caller.accountId()), q.range(), assistant, Include.of(q.params(), false));
        Envelope.ok("Calls by service fetched successfully", new ByService(services, q.zoneLabel())).send(req, res);
    }

    private static boolean comparePrevious(String raw) {
        return switch (raw) {
            case "previous" -> true;
            case "none" -> false;
            default -> throw ApiException.badRequest("Invalid compare '" + Echo.of(raw) + "': use previous (the totals of the period of "
                                                     + "the same length just before the range, and the change) or none");
        };
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static boolean fillZero(String raw) {
        return switch (raw) {
            case "zero" -> true;
            case "none" -> false;
            default -> throw ApiException.badRequest("Invalid fill '" + Echo.of(raw) + "': use zero (every bucket of the range, "
                                                     + "empty ones as zeros) or none (the default: buckets with calls only)");
        };
    }

    /** Every bucket the range touches, in order: those the query found, and zeros for the others. */
    private static List<TimeBucket> withEmptyBuckets(List<TimeBucket> found, List<Granularity.Bucket> buckets, Granularity granularity,
                                                     Include include) {
        var byLabel = new HashMap<String, TimeBucket>();
        found.forEach(bucket -> byLabel.put(bucket.date(), bucket));
        return buckets.stream()
                      .map(bucket -> granularity.label(bucket.localStart()))
                      .map(label -> byLabel.getOrDefault(label, TimeBucket.of(label, 0, BigDecimal.ZERO).with(include.zero())))
                      .toList();
    }

    private void byStatus(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var rows = outcomes(caller, q, Dimension.STATUS);
        long terminal = rows.stream().filter(row -> !IncomingCall.IN_PROGRESS.contains(row.key())).mapToLong(row -> row.tally().totalCalls()).sum();
        long completed = rows.stream().filter(row -> row.key().equals("completed")).mapToLong(row -> row.tally().totalCalls()).sum();
        var rate = terminal == 0 ? null : BigDecimal.valueOf(completed).divide(BigDecimal.valueOf(terminal), 4, RoundingMode.HALF_UP);
        var statuses = rows.stream().map(row -> new StatusTotals(row.key(), row.tally())).toList();
        Envelope.ok("Calls by status fetched successfully", new ByStatus(statuses, terminal, completed, rate, q.zoneLabel())).send(req, res);
    }

    private void byType(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var types = outcomes(caller, q, Dimension.TYPE).stream().map(row -> new TypeTotals(row.key(), row.tally())).toList();
        Envelope.ok("Calls by type fetched successfully", new ByType(types, q.zoneLabel())).send(req, res);
    }

    private void byEndReason(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var reasons = outcomes(caller, q, Dimension.END_REASON).stream().map(row -> new EndReasonTotals(row.key(), row.tally())).toList();
        Envelope.ok("Calls by end reason fetched successfully", new ByEndReason(reasons, q.zoneLabel())).send(req, res);
    }

    /** The longest a typed query may run: a question too broad for it is told to narrow. */
    static final String QUERY_TIME_LIMIT = "10s";

    private void query(Caller caller, ServerRequest req, ServerResponse res) {
        JsonNode body;
        try (var read = bodies.readAll(req, MAX_QUERY_BYTES)) {
            body = read.bytes().length == 0 ? null : Json.READER.readTree(read.bytes());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON: " + Json.problem(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var query = TypedQuery.parse(body, caller.timezone(), clock.instant());
        QueryAnswer answer;
        try {
            answer = ctx.transactionResult(tx -> {
                tx.dsl().execute("SET LOCAL statement_timeout = '" + QUERY_TIME_LIMIT + "'");
                return new AnalyticsQueries(tx.dsl()).answer(AccountScope.of(caller.accountId()), query);
            });
        } catch (DataAccessException e) {
            if (ErrorResponses.timedOut(e)) {
                throw ApiException.badRequest("The query ran past its " + QUERY_TIME_LIMIT + " limit: narrow its range, grouping or filters");
            }
            throw e;
        }
        Envelope.ok("Query answered", answer).send(req, res);
    }

    private List<AnalyticsQueries.Outcome> outcomes(Caller caller, Question q, Dimension<String> dimension) {
        var assistant = callersAssistant(caller, q.params());
        return queries.byOutcome(AccountScope.of(caller.accountId()), DaySplit.of(q.range()), assistant, dimension);
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
