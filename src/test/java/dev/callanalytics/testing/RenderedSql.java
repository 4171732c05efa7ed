package dev.callanalytics.testing;

import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The SQL a piece of the application runs, values inlined, as PostgreSQL receives it. */
public final class RenderedSql {

    private RenderedSql() {
    }

    /** Runs {@code call} on a context that records every statement it executes. */
    public static List<String> of(DataSource dataSource, Consumer<DSLContext> call) {
        var statements = new ArrayList<String>();
        DSLContext ctx = DSL.using(dataSource, SQLDialect.POSTGRES,
                                   new Settings().withStatementType(StatementType.STATIC_STATEMENT).withRenderSchema(false));
        ctx.configuration().set(new ExecuteListener() {
            @Override
            public void renderEnd(ExecuteContext context) {
                statements.add(context.sql());
            }
        });
        call.accept(ctx);
        return statements;
    }
}
