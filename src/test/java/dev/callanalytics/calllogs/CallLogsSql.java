package dev.callanalytics.calllogs;

import dev.callanalytics.calllogs.LogsRequest.SortKey;
import dev.callanalytics.http.DateRange.DateFilter;
import dev.callanalytics.testing.RenderedSql;

import javax.sql.DataSource;
import java.util.Optional;
import java.util.UUID;

/** The SQL the call-logs endpoint itself runs for a page, values inlined (for the benchmark). */
public final class CallLogsSql {

    private CallLogsSql() {
    }

    public static String page(DataSource dataSource, UUID account, UUID assistant, int page, int limit) {
        var request = new LogsRequest(assistant, new DateFilter(Optional.empty(), Optional.empty()), SortKey.STARTED_AT, true, page, limit);
        return RenderedSql.of(dataSource, ctx -> new CallLogsQueries(ctx).page(account, request)).getLast();
    }
}
