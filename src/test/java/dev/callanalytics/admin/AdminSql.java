package dev.callanalytics.admin;

import dev.callanalytics.http.DateRange;
import dev.callanalytics.testing.RenderedSql;

import javax.sql.DataSource;

/** The SQL of the operator's own answers, values inlined (for the benchmark). */
public final class AdminSql {

    private AdminSql() {
    }

    /** The statement of dashboard or by-account over every account. */
    public static String of(DataSource dataSource, String endpoint, DateRange range) {
        return RenderedSql.of(dataSource, ctx -> {
            var queries = new AdminQueries(ctx);
            switch (endpoint) {
                case "dashboard" -> queries.dashboard(queries.accountIds(), range);
                case "by-account" -> queries.byAccount(queries.everyAccount(), range);
                default -> throw new IllegalArgumentException(endpoint);
            }
        }).getLast();
    }
}
