package dev.callanalytics.admin;

import dev.callanalytics.analytics.AccountScope;
import dev.callanalytics.analytics.CallFacts;
import dev.callanalytics.analytics.CallFacts.Slice;
import dev.callanalytics.analytics.DaySplit;
import dev.callanalytics.analytics.Dimension;
import dev.callanalytics.analytics.Durations;
import dev.callanalytics.analytics.Measure;
import dev.callanalytics.admin.AdminResponses.AccountTotals;
import dev.callanalytics.admin.AdminResponses.AdminDashboard;
import dev.callanalytics.http.DateRange;
import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.analytics.Measure.CALLS_COUNT;
import static dev.callanalytics.analytics.Measure.MINUTES;
import static dev.callanalytics.db.Tables.ACCOUNTS;
import static dev.callanalytics.db.Tables.CALLS;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.selectOne;

/**
 * The operator's questions that only make sense across accounts: totals with the number of
 * active accounts, and calls per account. The one place, with {@link AdminService}, where a query
 * is not scoped to the caller's account.
 */
final class AdminQueries {

    private static final List<Measure<?>> CALLS_AND_MINUTES = List.of(CALLS_COUNT, MINUTES);

    private final DSLContext ctx;

    AdminQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** Every account: the operator's scope. */
    AccountScope everyAccount() {
        return AccountScope.accounts(accountIds());
    }

    List<UUID> accountIds() {
        return ctx.select(ACCOUNTS.ACCOUNT_ID)
                  .from(ACCOUNTS)
                  .orderBy(ACCOUNTS.ACCOUNT_ID)
                  .fetch(ACCOUNTS.ACCOUNT_ID);
    }

    boolean accountExists(UUID account) {
        return ctx.fetchExists(ACCOUNTS, ACCOUNTS.ACCOUNT_ID.eq(account));
    }

    /** The names of some accounts, by id. */
    Map<UUID, String> accountNames(List<UUID> accounts) {
        return ctx.select(ACCOUNTS.ACCOUNT_ID, ACCOUNTS.NAME)
                  .from(ACCOUNTS)
                  .where(ACCOUNTS.ACCOUNT_ID.in(accounts))
                  .fetchMap(ACCOUNTS.ACCOUNT_ID, ACCOUNTS.NAME);
    }

    /**
     * Totals over every account, read from the totals of all accounts together, and how many
     * accounts had a call in the range: one index probe each, in (account_id, started_at).
     */
    AdminDashboard dashboard(List<UUID> everyAccount, DateRange range) {
        var facts = CallFacts.of(new Slice(AccountScope.together(everyAccount), DaySplit.of(range), Optional.empty()), List.of(),
                                 CALLS_AND_MINUTES);
        var active = field(selectCount()
                           .from(ACCOUNTS)
                           .where(ACCOUNTS.ACCOUNT_ID.in(everyAccount))
                           .andExists(selectOne()
                                      .from(CALLS)
                                      .where(CALLS.ACCOUNT_ID.eq(ACCOUNTS.ACCOUNT_ID))
                                      .and(CALLS.STARTED_AT.between(DaySplit.utc(range.startDate()), DaySplit.utc(range.endDate())))));
        return ctx.select(CALLS_COUNT.sumIn(facts), MINUTES.sumIn(facts), active)
                  .from(facts)
                  .fetchSingle(r -> {
                      long total = r.value1() == null ? 0 : r.value1().longValueExact();
                      return new AdminDashboard(total, Durations.minutes(r.value2()), Durations.hours(r.value2()),
                                                Durations.average(r.value2(), total), r.value3(), range);
                  });
    }

    /** One row per account with calls in the range, busiest first; ties by calls, then id. */
    List<AccountTotals> byAccount(AccountScope scope, DateRange range) {
        var facts = CallFacts.of(new Slice(scope, DaySplit.of(range), Optional.empty()), List.of(Dimension.ACCOUNT), CALLS_AND_MINUTES);
        var totals = ctx.select(Dimension.ACCOUNT.in(facts),
                                CALLS_COUNT.sumIn(facts).as(CALLS_COUNT.name()),
                                MINUTES.sumIn(facts).as(MINUTES.name()))
                        .from(facts)
                        .groupBy(Dimension.ACCOUNT.in(facts))
                        .asTable("totals");
        var account = Dimension.ACCOUNT.in(totals);
        var calls = totals.field(CALLS_COUNT.name(), BigDecimal.class);
        var minutes = MINUTES.in(totals);
        return ctx.select(account, ACCOUNTS.NAME, calls, minutes)
                  .from(totals)
                  .join(ACCOUNTS)
                  .on(ACCOUNTS.ACCOUNT_ID.eq(account))
                  .where(calls.gt(BigDecimal.ZERO))
                  .orderBy(minutes.desc(), calls.desc(), account.asc())
                  .fetch(r -> AccountTotals.of(r.value1(), r.value2(), r.value3().longValueExact(), r.value4()));
    }
}
