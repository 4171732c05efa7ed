package dev.callanalytics.analytics;

import dev.callanalytics.analytics.AnalyticsResponses.AssistantTotals;
import dev.callanalytics.analytics.AnalyticsResponses.Dashboard;
import dev.callanalytics.analytics.AnalyticsResponses.PhoneBucketTotals;
import dev.callanalytics.analytics.AnalyticsResponses.ServiceTotals;
import dev.callanalytics.analytics.AnalyticsResponses.TimeBucket;
import dev.callanalytics.analytics.CallFacts.Slice;
import dev.callanalytics.http.DateRange;
import org.jooq.DSLContext;
import org.jooq.Field;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.analytics.Measure.CALLS_COUNT;
import static dev.callanalytics.analytics.Measure.MINUTES;
import static dev.callanalytics.db.Tables.ASSISTANTS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.toChar;

/**
 * The call analytics, each one SQL query over the {@link CallFacts} of a range: rollups for its
 * whole UTC days, raw calls for the partial days at its edges. PostgreSQL sums exactly (numeric);
 * Java only rounds the totals. Every query reads the accounts of its {@link AccountScope}: the
 * caller's, except for the operator's routes.
 */
public final class AnalyticsQueries {

    private static final List<Measure<?>> CALLS_AND_MINUTES = List.of(CALLS_COUNT, MINUTES);

    private final DSLContext ctx;

    public AnalyticsQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** Calls and exact minutes over a range, before rounding. */
    public record Totals(long calls, BigDecimal minutes) {
    }

    /** Calls and minutes of the range, summed over the accounts of the scope. */
    public Totals totals(AccountScope scope, DateRange range) {
        var facts = CallFacts.of(new Slice(scope, DaySplit.of(range), Optional.empty()), List.of(), CALLS_AND_MINUTES);
        return ctx.select(CALLS_COUNT.sumIn(facts), MINUTES.sumIn(facts))
                  .from(facts)
                  .fetchSingle(r -> new Totals(r.value1() == null ? 0 : r.value1().longValue(), r.value2()));
    }

    /**
     * Totals over the range, and the calls since the start of today, this ISO week and this
     * month up to now: all from the account's totals (days, quarter hours) but the last minutes.
     */
    public Dashboard dashboard(UUID account, DateRange range, Periods periods) {
        var scope = AccountScope.of(account);
        var facts = CallFacts.of(new Slice(scope, DaySplit.of(range), Optional.empty()), List.of(), CALLS_AND_MINUTES);
        return ctx.select(CALLS_COUNT.sumIn(facts), MINUTES.sumIn(facts),
                          callsBetween(scope, periods.dayStart(), periods.now()),
                          callsBetween(scope, periods.weekStart(), periods.now()),
                          callsBetween(scope, periods.monthStart(), periods.now()))
                  .from(facts)
                  .fetchSingle(r -> {
                      long calls = r.value1() == null ? 0 : r.value1().longValue();
                      return new Dashboard(calls, Durations.minutes(r.value2()), Durations.hours(r.value2()),
                                           Durations.average(r.value2(), calls), r.value3().longValue(), r.value4().longValue(),
                                           r.value5().longValue(), range);
                  });
    }

    /** Busiest assistant first; ties by number of calls, then id, so the order never varies. */
    public List<AssistantTotals> byAssistant(UUID account, DateRange range) {
        var facts = CallFacts.of(new Slice(AccountScope.of(account), DaySplit.of(range), Optional.empty()),
                                 List.of(Dimension.ASSISTANT), CALLS_AND_MINUTES);
        var totals = select(Dimension.ASSISTANT.in(facts),
                            CALLS_COUNT.sumIn(facts).as(CALLS_COUNT.name()),
                            MINUTES.sumIn(facts).as(MINUTES.name()))
                     .from(facts)
                     .groupBy(Dimension.ASSISTANT.in(facts))
                     .asTable("totals");
        var assistant = Dimension.ASSISTANT.in(totals);
        var calls = totals.field(CALLS_COUNT.name(), BigDecimal.class);
        var minutes = MINUTES.in(totals);
        // the names are looked up for the few assistants with calls, after the sums
        return ctx.select(assistant, ASSISTANTS.ASSISTANT_NAME, calls, minutes)
                  .from(totals)
                  .join(ASSISTANTS)
                  .on(ASSISTANTS.ACCOUNT_ID.eq(account))
                  .and(ASSISTANTS.ASSISTANT_ID.eq(assistant))
                  .where(calls.gt(BigDecimal.ZERO))
                  .orderBy(minutes.desc(), calls.desc(), assistant.asc())
                  .fetch(r -> AssistantTotals.of(r.value1(), r.value2(), r.value3().longValue(), r.value4()));
    }

    /** One row per phone bucket (see calls.phone_bucket), busiest first, ties by bucket. */
    public List<PhoneBucketTotals> byPhoneNumber(AccountScope scope, DateRange range, Optional<UUID> assistant) {
        return byKey(new Slice(scope, DaySplit.of(range), assistant), Dimension.PHONE_BUCKET, PhoneBucketTotals::of);
    }

    /** One row per telephony service (unknown for calls without one), busiest first, ties by service. */
    public List<ServiceTotals> byService(AccountScope scope, DateRange range, Optional<UUID> assistant) {
        return byKey(new Slice(scope, DaySplit.of(range), assistant), Dimension.SERVICE, ServiceTotals::of);
    }

    /** What a row of calls and minutes per key becomes. */
    private interface KeyTotals<R> {
        R of(String key, long calls, BigDecimal exactMinutes);
    }

    private <R> List<R> byKey(Slice slice, Dimension<String> dimension, KeyTotals<R> row) {
        var facts = CallFacts.of(slice, List.of(dimension), CALLS_AND_MINUTES);
        var key = dimension.in(facts);
        var calls = CALLS_COUNT.sumIn(facts);
        var minutes = MINUTES.sumIn(facts);
        return ctx.select(key, calls, minutes)
                  .from(facts)
                  .groupBy(key)
                  .having(calls.gt(BigDecimal.ZERO))
                  .orderBy(minutes.desc(), key.asc())
                  .fetch(r -> row.of(r.value1(), r.value2().longValue(), r.value3()));
    }

    /**
     * Buckets with calls only, in time order. Rows are summed per bucket start (the day, the
     * Monday of the ISO week, the first of the month) and only the buckets get their label:
     * to_char on every rollup of a year costs more than the sums.
     */
    public List<TimeBucket> byTime(UUID account, DateRange range, Granularity granularity, Optional<UUID> assistant) {
        var bucket = Dimension.timeBucket(granularity);
        var facts = CallFacts.of(new Slice(AccountScope.of(account), DaySplit.of(range), assistant), List.of(bucket), CALLS_AND_MINUTES);
        var start = bucket.in(facts);
        var calls = CALLS_COUNT.sumIn(facts);
        var minutes = MINUTES.sumIn(facts);
        return ctx.select(toChar(start, inline(granularity.labelPattern())), calls, minutes)
                  .from(facts)
                  .groupBy(start)
                  .having(calls.gt(BigDecimal.ZERO))
                  .orderBy(start.asc())
                  .fetch(r -> TimeBucket.of(r.value1(), r.value2().longValue(), r.value3()));
    }

    /** Whether an assistant of that id exists in one of the scope's accounts. */
    public boolean assistantExists(AccountScope scope, UUID assistant) {
        return ctx.fetchExists(ASSISTANTS, scope.on(ASSISTANTS.ACCOUNT_ID).and(ASSISTANTS.ASSISTANT_ID.eq(assistant)));
    }

    /** The calls started from {@code start} to {@code end}, both included. */
    private static Field<BigDecimal> callsBetween(AccountScope scope, Instant start, Instant end) {
        var facts = CallFacts.of(new Slice(scope, new DaySplit(Optional.of(start), Optional.of(end)), Optional.empty()),
                                 List.of(), List.of(CALLS_COUNT));
        return field(select(coalesce(CALLS_COUNT.sumIn(facts), BigDecimal.ZERO)).from(facts));
    }
}
