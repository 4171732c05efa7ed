package dev.callanalytics.analytics;

import dev.callanalytics.analytics.AnalyticsResponses.AssistantTotals;
import dev.callanalytics.analytics.AnalyticsResponses.Dashboard;
import dev.callanalytics.analytics.AnalyticsResponses.PhoneBucketTotals;
import dev.callanalytics.analytics.AnalyticsResponses.TimeBucket;
import dev.callanalytics.http.DateRange;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.SelectHavingStep;
import org.jooq.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.toChar;
import static org.jooq.impl.SQLDataType.BIGINT;
import static org.jooq.impl.SQLDataType.LOCALDATETIME;
import static org.jooq.impl.SQLDataType.NUMERIC;

/**
 * The analytics, each one SQL query over one account: the whole UTC days of the range come from
 * the daily rollups (call_rollups, kept exact by triggers), the partial days at its edges from
 * the raw calls (see {@link DaySplit}), so that the work grows with the size of the answer,
 * not with the number of calls. PostgreSQL sums exactly (numeric); Java only rounds the totals.
 */
final class AnalyticsQueries {

    /** The UTC wall-clock time of a call's start, which every time bucket is taken on. */
    private static final Field<LocalDateTime> STARTED_AT_UTC =
            field("timezone('UTC', {0})", LOCALDATETIME, CALLS.STARTED_AT);
    private static final Field<BigDecimal> CALL_MINUTES = coalesce(CALLS.CALL_DURATION_MINUTES, BigDecimal.ZERO);

    private final DSLContext ctx;

    AnalyticsQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Totals over the range, and the calls since the start of today, this ISO week and this
     * month up to now: whole past days from the rollups, today from the raw calls.
     */
    Dashboard dashboard(UUID account, DateRange range, Periods periods) {
        var parts = parts(account, DaySplit.of(range), Optional.empty(), inline(""), inline(""));
        var calls = sum(parts.field("calls", Long.class));
        var minutes = sum(parts.field("minutes", BigDecimal.class));
        var today = LocalDate.ofInstant(periods.dayStart(), ZoneOffset.UTC);
        var callsToday = field(select(count())
                                .from(CALLS)
                                .where(CALLS.ACCOUNT_ID.eq(account))
                                .and(CALLS.STARTED_AT.between(DaySplit.utc(periods.dayStart()), DaySplit.utc(periods.now()))));
        return ctx.select(calls, minutes, callsToday,
                          wholeDaysSince(account, periods.weekStart(), today),
                          wholeDaysSince(account, periods.monthStart(), today))
                  .from(parts)
                  .fetchSingle(mapping((total, exactMinutes, sinceDay, weekDays, monthDays) -> {
                      long n = total == null ? 0 : total.longValue();
                      return new Dashboard(n, Durations.minutes(exactMinutes), Durations.hours(exactMinutes),
                                           Durations.average(exactMinutes, n), sinceDay,
                                           sinceDay + weekDays.longValue(), sinceDay + monthDays.longValue(), range);
                  }));
    }

    /** Busiest assistant first; ties by number of calls, then id, so the order never varies. */
    List<AssistantTotals> byAssistant(UUID account, DateRange range) {
        var parts = parts(account, DaySplit.of(range), Optional.empty(), CALL_ROLLUPS.ASSISTANT_ID, CALLS.ASSISTANT_ID);
        var totals = select(parts.field("key", UUID.class).as("assistant_id"),
                            sum(parts.field("calls", Long.class)).as("calls"),
                            sum(parts.field("minutes", BigDecimal.class)).as("minutes"))
                     .from(parts)
                     .groupBy(parts.field("key"))
                     .asTable("totals");
        var assistant = totals.field("assistant_id", UUID.class);
        var calls = totals.field("calls", BigDecimal.class);
        var minutes = totals.field("minutes", BigDecimal.class);
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
    List<PhoneBucketTotals> byPhoneNumber(UUID account, DateRange range, Optional<UUID> assistant) {
        var parts = parts(account, DaySplit.of(range), assistant, CALL_ROLLUPS.PHONE_BUCKET, CALLS.PHONE_BUCKET);
        var bucket = parts.field("key", String.class);
        var calls = sum(parts.field("calls", Long.class));
        var minutes = sum(parts.field("minutes", BigDecimal.class));
        return ctx.select(bucket, calls, minutes)
                  .from(parts)
                  .groupBy(bucket)
                  .having(calls.gt(BigDecimal.ZERO))
                  .orderBy(minutes.desc(), bucket.asc())
                  .fetch(r -> PhoneBucketTotals.of(r.value1(), r.value2().longValue(), r.value3()));
    }

    /**
     * Buckets with calls only, in time order. Rows are summed per bucket start (the day, the
     * Monday of the ISO week, the first of the month) and only the buckets get their label:
     * to_char on every rollup of a year costs more than the sums.
     */
    List<TimeBucket> byTime(UUID account, DateRange range, Granularity granularity, Optional<UUID> assistant) {
        var unit = inline(granularity.label());
        var parts = parts(account, DaySplit.of(range), assistant,
                          field("date_trunc({0}, {1}::timestamp)", LOCALDATETIME, unit, CALL_ROLLUPS.DAY),
                          field("date_trunc({0}, {1})", LOCALDATETIME, unit, STARTED_AT_UTC));
        var start = parts.field("key", LocalDateTime.class);
        var calls = sum(parts.field("calls", Long.class));
        var minutes = sum(parts.field("minutes", BigDecimal.class));
        return ctx.select(toChar(start, inline(granularity.labelPattern())), calls, minutes)
                  .from(parts)
                  .groupBy(start)
                  .having(calls.gt(BigDecimal.ZERO))
                  .orderBy(start.asc())
                  .fetch(r -> TimeBucket.of(r.value1(), r.value2().longValue(), r.value3()));
    }

    boolean assistantExists(UUID account, UUID assistant) {
        return ctx.fetchExists(ASSISTANTS, ASSISTANTS.ACCOUNT_ID.eq(account).and(ASSISTANTS.ASSISTANT_ID.eq(assistant)));
    }

    /**
     * (key, calls, minutes) rows of the range, to be summed per key: one per rollup of a whole
     * day, one per raw call of an edge day. {@code rollupKey} and {@code callKey} are the same
     * grouping key (assistant, bucket, time label) read from each source.
     */
    private static <K> Table<Record3<K, Long, BigDecimal>> parts(UUID account, DaySplit split, Optional<UUID> assistant,
                                                                           Field<K> rollupKey, Field<K> callKey) {
        SelectHavingStep<Record3<K, Long, BigDecimal>> rollups =
                select(rollupKey.as("key"), CALL_ROLLUPS.CALLS.as("calls"), CALL_ROLLUPS.MINUTES.as("minutes"))
                .from(CALL_ROLLUPS)
                .where(CALL_ROLLUPS.ACCOUNT_ID.eq(account))
                .and(split.wholeDays(CALL_ROLLUPS.DAY))
                .and(assistant.map(CALL_ROLLUPS.ASSISTANT_ID::eq).orElse(noCondition()));
        var edges =
                select(callKey, inline(1L, BIGINT), CALL_MINUTES.cast(NUMERIC))
                .from(CALLS)
                .where(CALLS.ACCOUNT_ID.eq(account))
                .and(split.edges(CALLS.STARTED_AT))
                .and(assistant.map(CALLS.ASSISTANT_ID::eq).orElse(noCondition()));
        return rollups.unionAll(edges).asTable(name("parts"));
    }

    /** Calls of the whole days from {@code periodStart} up to (not including) today. */
    private Field<BigDecimal> wholeDaysSince(UUID account, Instant periodStart, LocalDate today) {
        var first = LocalDate.ofInstant(periodStart, ZoneOffset.UTC);
        return field(select(coalesce(sum(CALL_ROLLUPS.CALLS), BigDecimal.ZERO))
                     .from(CALL_ROLLUPS)
                     .where(CALL_ROLLUPS.ACCOUNT_ID.eq(account))
                     .and(CALL_ROLLUPS.DAY.ge(first))
                     .and(CALL_ROLLUPS.DAY.lt(today)));
    }

}
