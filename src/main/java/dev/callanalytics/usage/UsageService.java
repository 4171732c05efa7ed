package dev.callanalytics.usage;

import dev.callanalytics.analytics.AccountScope;
import dev.callanalytics.analytics.AnalyticsQueries;
import dev.callanalytics.analytics.AnalyticsService;
import dev.callanalytics.analytics.Dimension;
import dev.callanalytics.analytics.Question;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.Routes;
import dev.callanalytics.usage.UsageResponses.AssistantUsage;
import dev.callanalytics.usage.UsageResponses.ByAssistant;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.auth.Scope.READ;

/** LLM, TTS and STT usage of the caller's account, under {@code /analytics/tokens}. */
public final class UsageService implements HttpService {

    private final UsageQueries usage;
    private final AnalyticsQueries analytics;
    private final Authenticator auth;
    private final Clock clock;

    public UsageService(UsageQueries usage, AnalyticsQueries analytics, Authenticator auth, Clock clock) {
        this.usage = usage;
        this.analytics = analytics;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/tokens/summary", auth.require(READ, this::summary));
        Routes.get(rules, "/tokens/by-assistant", auth.require(READ, this::byAssistant));
    }

    private void summary(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var scope = AccountScope.of(caller.accountId());
        var assistant = AnalyticsService.existingAssistant(analytics, scope, q.params());
        Envelope.ok("Token usage summary fetched successfully", usage.summary(scope, q.range(), assistant)).send(req, res);
    }

    private void byAssistant(Caller caller, ServerRequest req, ServerResponse res) {
        var q = Question.of(req, caller, clock.instant());
        var rows = usage.by(AccountScope.of(caller.accountId()), q.range(), List.of(Dimension.ASSISTANT));
        var assistants = rows.stream()
                             .map(row -> new AssistantUsage(row.keys().get(Dimension.ASSISTANT.name(), UUID.class), row.totals()))
                             .toList();
        Envelope.ok("Token usage by assistant fetched successfully", new ByAssistant<>(assistants)).send(req, res);
    }
}
