package dev.callanalytics.analytics;

import dev.callanalytics.analytics.AnalyticsResponses.AssistantTotals;
import dev.callanalytics.analytics.AnalyticsResponses.Dashboard;
import dev.callanalytics.analytics.AnalyticsResponses.PhoneBucketTotals;
import dev.callanalytics.analytics.AnalyticsResponses.TimeBucket;
import dev.callanalytics.http.DateRange;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.toChar;
import static org.jooq.impl.SQLDataType.LOCALDATETIME;

/**
 * The oracle of the property test: every analytics answer computed from the raw calls alone,
 * with the plain GROUP BY an analyst would write (this was the API's own SQL before rollups).
 */
final class RawAnalytics {

    /** The UTC wall-clock time of a call's start, which every time bucket is taken on. */
    private static final Field<LocalDateTime> STARTED_AT_UTC =
            field("timezone('UTC', {0})", LOCALDATETIME, CALLS.STARTED_AT);

    private static final Field<Integer> CALLS_COUNT = count();
    private static final Field<BigDecimal> MINUTES_SUM = sum(CALLS.CALL_DURATION_MINUTES);

    private final DSLContext ctx;

    RawAnalytics(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** Totals over the range, and the calls since each period's start up to now, in one scan. */
    Dashboard dashboard(UUID account, DateRange range, Periods periods) {
        var inRange = startedBetween(range.startDate(), range.endDate());
        var earliest = min(range.startDate(), periods.monthStart(), periods.weekStart());
        var latest = range.endDate().isAfter(periods.now()) ? range.endDate() : periods.now();
        return ctx.select(count().filterWhere(inRange),
                          sum(CALLS.CALL_DURATION_MINUTES).filterWhere(inRange),
                          count().filterWhere(startedBetween(periods.dayStart(), periods.now())),
                          count().filterWhere(startedBetween(periods.weekStart(), periods.now())),
                          count().filterWhere(startedBetween(periods.monthStart(), periods.now())))
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(startedBetween(earliest, latest))
                  .fetchSingle(mapping((calls, minutes, today, week, month) -> new Dashboard(
                          calls, Durations.minutes(minutes), Durations.hours(minutes),
                          Durations.average(minutes, calls), today, week, month, range)));
    }

    /** Busiest assistant first; ties by number of calls, then id, so the order never varies. */
    List<AssistantTotals> byAssistant(UUID account, DateRange range) {
        return ctx.select(CALLS.ASSISTANT_ID, ASSISTANTS.ASSISTANT_NAME, CALLS_COUNT, MINUTES_SUM)
                  .from(CALLS)
                  .join(ASSISTANTS)
                  .on(ASSISTANTS.ACCOUNT_ID.eq(CALLS.ACCOUNT_ID))
                  .and(ASSISTANTS.ASSISTANT_ID.eq(CALLS.ASSISTANT_ID))
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .groupBy(CALLS.ASSISTANT_ID, ASSISTANTS.ASSISTANT_NAME)
                  .orderBy(MINUTES_SUM.desc().nullsLast(), CALLS_COUNT.desc(), CALLS.ASSISTANT_ID.asc())
                  .fetch(r -> AssistantTotals.of(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** One row per phone bucket (see calls.phone_bucket), busiest first, ties by bucket. */
    List<PhoneBucketTotals> byPhoneNumber(UUID account, DateRange range, Optional<UUID> assistant) {
        return ctx.select(CALLS.PHONE_BUCKET, CALLS_COUNT, MINUTES_SUM)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .and(ofAssistant(assistant))
                  .groupBy(CALLS.PHONE_BUCKET)
                  .orderBy(MINUTES_SUM.desc().nullsLast(), CALLS.PHONE_BUCKET.asc())
                  .fetch(r -> PhoneBucketTotals.of(r.value1(), r.value2(), r.value3()));
    }

    /** Buckets with calls only, in time order (the labels sort as the times do). */
    List<TimeBucket> byTime(UUID account, DateRange range, Granularity granularity, Optional<UUID> assistant) {
        var label = toChar(STARTED_AT_UTC, inline(granularity.labelPattern()));
        return ctx.select(label, CALLS_COUNT, MINUTES_SUM)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .and(ofAssistant(assistant))
                  .groupBy(label)
                  .orderBy(label.asc())
                  .fetch(r -> TimeBucket.of(r.value1(), r.value2(), r.value3()));
    }

    boolean assistantExists(UUID account, UUID assistant) {
        return ctx.fetchExists(ASSISTANTS, ASSISTANTS.ACCOUNT_ID.eq(account).and(ASSISTANTS.ASSISTANT_ID.eq(assistant)));
    }

    private static Condition ofAssistant(Optional<UUID> assistant) {
        return assistant.map(CALLS.ASSISTANT_ID::eq).orElse(noCondition());
    }

    private static Condition startedBetween(Instant start, Instant end) {
        return CALLS.STARTED_AT.between(utc(start), utc(end));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant min(Instant first, Instant... others) {
        var min = first;
        for (var other : others) {
            min = other.isBefore(min) ? other : min;
        }
        return min;
    }
}
