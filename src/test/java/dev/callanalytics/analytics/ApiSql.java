package dev.callanalytics.analytics;

import dev.callanalytics.http.DateRange;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.conf.Settings;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** The SQL the API itself runs for the dashboard, with its values inlined (for pgbench). */
public final class ApiSql {

    private ApiSql() {
    }

    public static String dashboard(DataSource dataSource, UUID account, Instant now) {
        var sql = new AtomicReference<String>();
        DSLContext ctx = DSL.using(dataSource, org.jooq.SQLDialect.POSTGRES,
                                   new Settings().withStatementType(StatementType.STATIC_STATEMENT).withRenderSchema(false));
        ctx.configuration().set(new ExecuteListener() {
            @Override
            public void renderEnd(ExecuteContext context) {
                sql.set(context.sql());
            }
        });
        new AnalyticsQueries(ctx).dashboard(account, new DateRange(now.minus(DateRange.DEFAULT_LENGTH), now), Periods.at(now));
        return sql.get();
    }
}
