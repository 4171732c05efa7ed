package dev.callanalytics.analytics;

import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.Zones;
import dev.callanalytics.testing.RenderedSql;
import dev.callanalytics.usage.UsageQueries;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL the analytics endpoints themselves run, values inlined (for the benchmark). */
public final class ApiSql {

    private ApiSql() {
    }

    /**
     * The statement of an endpoint: dashboard, by-assistant, by-phone-number, by-service,
     * by-time-{day,week,month}, tokens-summary or tokens-by-assistant.
     */
    public static String of(DataSource dataSource, String endpoint, UUID account, DateRange range, Optional<UUID> assistant, Instant now) {
        return RenderedSql.of(dataSource, ctx -> {
            var queries = new AnalyticsQueries(ctx);
            switch (endpoint) {
                case "dashboard" -> queries.dashboard(account, range, Periods.at(now), Include.NOTHING);
                case "by-assistant" -> queries.byAssistant(account, range, Include.NOTHING);
                case "by-phone-number" -> queries.byPhoneNumber(AccountScope.of(account), range, assistant);
                case "by-service" -> queries.byService(AccountScope.of(account), range, assistant);
                case "tokens-summary" -> new UsageQueries(ctx).summary(AccountScope.of(account), range, assistant);
                case "tokens-by-assistant" -> new UsageQueries(ctx).by(AccountScope.of(account), range, List.of(Dimension.ASSISTANT));
                default -> queries.byTime(account, range, Granularity.parse(endpoint.substring("by-time-".length())), assistant, Zones.UTC);
            }
        }).getLast();
    }

    public static String dashboard(DataSource dataSource, UUID account, Instant now) {
        return of(dataSource, "dashboard", account, new DateRange(now.minus(DateRange.DEFAULT_LENGTH), now), Optional.empty(), now);
    }
}
