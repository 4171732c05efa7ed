package dev.callanalytics.analytics;

import dev.callanalytics.analytics.AnalyticsResponses.AssistantTotals;
import dev.callanalytics.analytics.AnalyticsResponses.Dashboard;
import dev.callanalytics.analytics.AnalyticsResponses.PhoneBucketTotals;
import dev.callanalytics.analytics.AnalyticsResponses.ServiceTotals;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.countDistinct;
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

    private static final Field<Integer> CALLS_COUNT = count();
    private static final Field<BigDecimal> MINUTES_SUM = sum(CALLS.CALL_DURATION_MINUTES);

    private final DSLContext ctx;
    /** The "now" of the server under test, for the dashboard's periods. */
    private final Instant now;

    RawAnalytics(DSLContext ctx, Instant now) {
        this.ctx = ctx;
        this.now = now;
    }

    /**
     * Totals over the range, and the calls since each period's start in {@code zone} up to now
     * (the starts as PostgreSQL's date_trunc places them in the zone), in one scan.
     */
    Dashboard dashboard(UUID account, DateRange range, String zone, String label) {
        var now = utc(this.now);
        Field<OffsetDateTime> day = field("date_trunc('day', {0}, {1})", OffsetDateTime.class, inline(now), inline(zone));
        Field<OffsetDateTime> week = field("date_trunc('week', {0}, {1})", OffsetDateTime.class, inline(now), inline(zone));
        Field<OffsetDateTime> month = field("date_trunc('month', {0}, {1})", OffsetDateTime.class, inline(now), inline(zone));
        var inRange = startedBetween(range.startDate(), range.endDate());
        return ctx.select(count().filterWhere(inRange),
                          sum(CALLS.CALL_DURATION_MINUTES).filterWhere(inRange),
                          count().filterWhere(CALLS.STARTED_AT.between(day, inline(now))),
                          count().filterWhere(CALLS.STARTED_AT.between(week, inline(now))),
                          count().filterWhere(CALLS.STARTED_AT.between(month, inline(now))))
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .fetchSingle(mapping((calls, minutes, today, thisWeek, thisMonth) -> new Dashboard(
                          calls, Durations.minutes(minutes), Durations.hours(minutes),
                          Durations.average(minutes, calls), today, thisWeek, thisMonth, range, null, label, null, null)));
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

    /** Buckets with calls only, in time order (the labels sort as the times do), on the clocks of {@code zone}. */
    List<TimeBucket> byTime(UUID account, DateRange range, Granularity granularity, Optional<UUID> assistant, String zone) {
        var label = toChar(field("timezone({0}, {1})", LOCALDATETIME, inline(zone), CALLS.STARTED_AT), inline(granularity.labelPattern()));
        return ctx.select(label, CALLS_COUNT, MINUTES_SUM)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .and(ofAssistant(assistant))
                  .groupBy(label)
                  .orderBy(label.asc())
                  .fetch(r -> TimeBucket.of(r.value1(), r.value2(), r.value3()));
    }

    /** The service a call counts under, written out here rather than through call_service_label. */
    private static final Field<String> SERVICE = field("coalesce(nullif(btrim({0}), ''), 'unknown')", String.class, CALLS.CALL_SERVICE);

    /** One row per service of the accounts' calls, busiest first, ties by service. */
    List<ServiceTotals> byService(Collection<UUID> accounts, DateRange range, Optional<UUID> assistant) {
        return ctx.select(SERVICE, CALLS_COUNT, MINUTES_SUM)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.in(accounts))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .and(ofAssistant(assistant))
                  .groupBy(SERVICE)
                  .orderBy(MINUTES_SUM.desc().nullsLast(), SERVICE.asc())
                  .fetch(r -> ServiceTotals.of(r.value1(), r.value2(), r.value3()));
    }

    /** One row per phone bucket of several accounts' calls. */
    List<PhoneBucketTotals> byPhoneNumber(Collection<UUID> accounts, DateRange range) {
        return ctx.select(CALLS.PHONE_BUCKET, CALLS_COUNT, MINUTES_SUM)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.in(accounts))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .groupBy(CALLS.PHONE_BUCKET)
                  .orderBy(MINUTES_SUM.desc().nullsLast(), CALLS.PHONE_BUCKET.asc())
                  .fetch(r -> PhoneBucketTotals.of(r.value1(), r.value2(), r.value3()));
    }

    /** A number of the usage object, as an analyst reads it: ->> and a cast (ingestion keeps them numbers). */
    static Field<BigDecimal> usage(String key) {
        return field("coalesce((usage ->> {0})::numeric, 0)", BigDecimal.class, inline(key));
    }

    /** The token summary of the accounts' calls with usage, as a map of the response's fields. */
    Map<String, Object> tokenSummary(Collection<UUID> accounts, DateRange range, Optional<UUID> assistant) {
        var record = ctx.select(count(), sum(usage("llm_input_audio_tokens")), sum(usage("llm_input_text_tokens")),
                                sum(usage("llm_input_cached_audio_tokens")), sum(usage("llm_input_cached_text_tokens")),
                                sum(usage("llm_output_audio_tokens")), sum(usage("llm_output_text_tokens")),
                                sum(usage("llm_total_tokens")), sum(usage("tts_characters_count")),
                                sum(usage("tts_audio_duration")), sum(usage("stt_audio_duration")), MINUTES_SUM)
                        .from(CALLS)
                        .where(CALLS.ACCOUNT_ID.in(accounts))
                        .and(startedBetween(range.startDate(), range.endDate()))
                        .and(ofAssistant(assistant))
                        .and(CALLS.USAGE.isNotNull())
                        .fetchSingle();
        var summary = new LinkedHashMap<String, Object>();
        summary.put("total_records", record.value1());
        String[] counts = {"llm_input_audio_tokens", "llm_input_text_tokens", "llm_input_cached_audio_tokens", "llm_input_cached_text_tokens",
                           "llm_output_audio_tokens", "llm_output_text_tokens", "llm_total_tokens"};
        for (int i = 0; i < counts.length; i++) {
            summary.put(counts[i].equals("llm_total_tokens") ? "total_llm_tokens" : "total_" + counts[i], orZero((BigDecimal) record.get(i + 1)));
        }
        summary.put("total_tts_characters", orZero(record.value9()));
        summary.put("total_tts_audio_duration", Durations.seconds(record.value10()));
        summary.put("total_stt_audio_duration", Durations.seconds(record.value11()));
        summary.put("total_call_duration_minutes", Durations.minutes(record.value12()));
        return summary;
    }

    /** Usage per assistant of one account: [assistant_id, calls, llm tokens, minutes], most tokens first, ties by id. */
    List<List<Object>> tokensByAssistant(UUID account, DateRange range) {
        var tokens = sum(usage("llm_total_tokens"));
        return ctx.select(CALLS.ASSISTANT_ID, CALLS_COUNT, tokens, MINUTES_SUM)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .and(CALLS.USAGE.isNotNull())
                  .groupBy(CALLS.ASSISTANT_ID)
                  .orderBy(tokens.desc(), CALLS.ASSISTANT_ID.asc())
                  .fetch(r -> List.<Object>of(r.value1().toString(), r.value2(), orZero(r.value3()).stripTrailingZeros().toPlainString(),
                                              Durations.minutes(r.value4()).stripTrailingZeros().toPlainString()));
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    /** Calls, minutes, cost and billable minutes per value of {@code key} (an outcome label), most calls first, ties by key. */
    List<AnalyticsQueries.Outcome> byOutcome(UUID account, DateRange range, Optional<UUID> assistant, Field<String> key) {
        var cost = sum(CALLS.CALL_COST);
        var billable = sum(CALLS.BILLABLE_DURATION_MINUTES);
        return ctx.select(key, CALLS_COUNT, MINUTES_SUM, cost, billable)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(startedBetween(range.startDate(), range.endDate()))
                  .and(ofAssistant(assistant))
                  .groupBy(key)
                  .orderBy(CALLS_COUNT.desc(), key.asc())
                  .fetch(r -> new AnalyticsQueries.Outcome(r.value1(), AnalyticsResponses.Tally.of(
                          r.value2(), r.value3(), r.value4(), r.value5() == null ? 0 : r.value5().longValue())));
    }

    /** The label of a call's type and end reason, written out here rather than through the database's functions. */
    static final Field<String> TYPE = field("coalesce({0}, 'unknown')", String.class, CALLS.CALL_TYPE);
    static final Field<String> END_REASON = field("coalesce(nullif(btrim({0}), ''), 'unknown')", String.class, CALLS.CALL_END_REASON);

    /** The operator's dashboard: totals over the calls of every account, and the accounts with a call. */
    List<Object> adminDashboard(DateRange range) {
        return ctx.select(count(), MINUTES_SUM, countDistinct(CALLS.ACCOUNT_ID))
                  .from(CALLS)
                  .where(startedBetween(range.startDate(), range.endDate()))
                  .fetchSingle(r -> List.<Object>of(r.value1(), Durations.minutes(r.value2()), Durations.hours(r.value2()),
                                                   Durations.average(r.value2(), r.value1()), r.value3()));
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

}
