package dev.callanalytics.admin;

import dev.callanalytics.admin.AdminResponses.ByAccount;
import dev.callanalytics.analytics.AccountScope;
import dev.callanalytics.analytics.AnalyticsQueries;
import dev.callanalytics.analytics.AnalyticsResponses.ByPhoneNumber;
import dev.callanalytics.analytics.AnalyticsResponses.ByService;
import dev.callanalytics.analytics.AnalyticsService;
import dev.callanalytics.analytics.Dimension;
import dev.callanalytics.analytics.Question;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.http.Routes;
import dev.callanalytics.usage.UsageQueries;
import dev.callanalytics.usage.UsageResponses.AccountAssistantUsage;
import dev.callanalytics.usage.UsageResponses.AccountUsage;
import dev.callanalytics.usage.UsageResponses.ByAssistant;
import dev.callanalytics.usage.UsageResponses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.DSLContext;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.auth.Scope.ADMIN;

/**
 * The operator's analytics, under {@code /admin/analytics}: the only routes that read across
 * accounts, each behind the {@code admin} scope. {@code account_id} narrows to one account where
 * the route takes it; an account that does not exist is a 404, as an unknown assistant is.
 */
public final class AdminService implements HttpService {

    private final AdminQueries admin;
    private final AnalyticsQueries analytics;
    private final UsageQueries usage;
    private final Authenticator auth;
    private final Clock clock;

    public AdminService(DSLContext ctx, AnalyticsQueries analytics, UsageQueries usage, Authenticator auth, Clock clock) {
        this.admin = new AdminQueries(ctx);
        this.analytics = analytics;
        this.usage = usage;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/dashboard", auth.require(ADMIN, this::dashboard));
        Routes.get(rules, "/calls/by-account", auth.require(ADMIN, this::byAccount));
        Routes.get(rules, "/calls/by-phone-number", auth.require(ADMIN, this::byPhoneNumber));
        Routes.get(rules, "/calls/by-service", auth.require(ADMIN, this::byService));
        Routes.get(rules, "/tokens/summary", auth.require(ADMIN, this::tokenSummary));
        Routes.get(rules, "/tokens/by-account", auth.require(ADMIN, this::tokensByAccount));
        Routes.get(rules, "/tokens/by-assistant", auth.require(ADMIN, this::tokensByAssistant));
    }

    private void dashboard(Caller caller, ServerRequest req, ServerResponse res) {
        var range = range(req, caller);
        Envelope.ok("Admin dashboard fetched successfully", admin.dashboard(admin.accountIds(), range)).send(req, res);
    }

    private void byAccount(Caller caller, ServerRequest req, ServerResponse res) {
        var range = range(req, caller);
        Envelope.ok("Calls by account fetched successfully", new ByAccount(admin.byAccount(admin.everyAccount(), range))).send(req, res);
    }

    private void byPhoneNumber(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var range = range(req, caller);
        var scope = narrowed(params);
        var assistant = AnalyticsService.existingAssistant(analytics, scope, params);
        Envelope.ok("Calls by phone number fetched successfully", new ByPhoneNumber(analytics.byPhoneNumber(scope, range, assistant)))
                .send(req, res);
    }

    private void byService(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var range = range(req, caller);
        var scope = narrowed(params);
        var assistant = AnalyticsService.existingAssistant(analytics, scope, params);
        Envelope.ok("Calls by service fetched successfully", new ByService(analytics.byService(scope, range, assistant))).send(req, res);
    }

    private void tokenSummary(Caller caller, ServerRequest req, ServerResponse res) {
        var params = QueryParams.of(req);
        var range = range(req, caller);
        var scope = narrowed(params);
        var assistant = AnalyticsService.existingAssistant(analytics, scope, params);
        Envelope.ok("Token usage summary fetched successfully", usage.summary(scope, range, assistant)).send(req, res);
    }

    private void tokensByAccount(Caller caller, ServerRequest req, ServerResponse res) {
        var range = range(req, caller);
        var rows = usage.by(admin.everyAccount(), range, List.of(Dimension.ACCOUNT));
        var names = admin.accountNames(rows.stream().map(row -> row.keys().get(Dimension.ACCOUNT.name(), UUID.class)).toList());
        var accounts = rows.stream().map(row -> {
            var account = row.keys().get(Dimension.ACCOUNT.name(), UUID.class);
            return new AccountUsage(account, names.get(account), row.totals());
        }).toList();
        Envelope.ok("Token usage by account fetched successfully", new UsageResponses.ByAccount(accounts)).send(req, res);
    }

    private void tokensByAssistant(Caller caller, ServerRequest req, ServerResponse res) {
        var range = range(req, caller);
        // ties by assistant_id, as the account's own list; then by account, whose ids they are
        var rows = usage.by(narrowed(QueryParams.of(req)), range, List.of(Dimension.ASSISTANT, Dimension.ACCOUNT));
        var assistants = rows.stream()
                             .map(row -> new AccountAssistantUsage(row.keys().get(Dimension.ACCOUNT.name(), UUID.class),
                                                                   row.keys().get(Dimension.ASSISTANT.name(), UUID.class), row.totals()))
                             .toList();
        Envelope.ok("Token usage by assistant fetched successfully", new ByAssistant<>(assistants)).send(req, res);
    }

    /** The range of a request, bare dates in its timezone (else the zone of the operator key's account). */
    private DateRange range(ServerRequest req, Caller caller) {
        return Question.of(req, caller, clock.instant()).range();
    }

    /** One account when {@code account_id} names one (404 when none has that id), every account otherwise. */
    private AccountScope narrowed(QueryParams params) {
        var raw = params.get("account_id");
        if (raw.isEmpty()) {
            return admin.everyAccount();
        }
        UUID account;
        try {
            account = raw.get().length() == 36 ? UUID.fromString(raw.get()) : null;
        } catch (IllegalArgumentException e) {
            account = null;
        }
        if (account == null || !admin.accountExists(account)) {
            throw ApiException.notFound("Account not found: " + Echo.of(raw.get()));
        }
        return AccountScope.of(account);
    }
}
