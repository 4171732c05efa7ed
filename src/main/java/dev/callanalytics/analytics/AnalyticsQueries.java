package dev.callanalytics.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.callanalytics.analytics.AnalyticsResponses.AssistantTotals;
import dev.callanalytics.analytics.AnalyticsResponses.Dashboard;
import dev.callanalytics.analytics.AnalyticsResponses.PhoneBucketTotals;
import dev.callanalytics.analytics.AnalyticsResponses.ServiceTotals;
import dev.callanalytics.analytics.AnalyticsResponses.Tally;
import dev.callanalytics.analytics.AnalyticsResponses.TimeBucket;
import dev.callanalytics.analytics.CallFacts.Slice;
import dev.callanalytics.analytics.Include.Percentiles;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.Zones;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL;
import static dev.callanalytics.analytics.Measure.BILLABLE_MINUTES;
import static dev.callanalytics.analytics.Measure.CALLS_COUNT;
import static dev.callanalytics.analytics.Measure.COST;
import static dev.callanalytics.analytics.Measure.MINUTES;
import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.nullif;
import static org.jooq.impl.DSL.percentileCont;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.toChar;
import static org.jooq.impl.SQLDataType.NUMERIC;

/**
 * The call analytics, each one SQL query over the {@link CallFacts} of a range. PostgreSQL sums
 * exactly (numeric); Java only rounds the totals. Every query reads the accounts of its
 * {@link AccountScope}: the caller's, except for the operator's routes.
 */
public final class AnalyticsQueries {

    private static final List<Measure<?>> CALLS_AND_MINUTES = List.of(CALLS_COUNT, MINUTES);

    /** The three percentiles of the call durations, in one sort (percentile_cont of an array). */
    private static final Field<BigDecimal[]> DURATION_PERCENTILES = field(
            "percentile_cont(array[0.5, 0.9, 0.99]) within group (order by {0})", NUMERIC.array(),
            coalesce(CALLS.CALL_DURATION_MINUTES, BigDecimal.ZERO));

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
    public Dashboard dashboard(UUID account, DateRange range, Periods periods, Include include) {
        var scope = AccountScope.of(account);
        var facts = CallFacts.of(new Slice(scope, DaySplit.of(range), Optional.empty()), List.of(), measures(include));
        var fields = new ArrayList<Field<?>>(sums(facts, measures(include)));
        fields.add(callsBetween(scope, periods.dayStart(), periods.now()).as("today"));
        fields.add(callsBetween(scope, periods.weekStart(), periods.now()).as("week"));
        fields.add(callsBetween(scope, periods.monthStart(), periods.now()).as("month"));
        var sums = ctx.select(fields).from(facts).fetchSingle();
        long calls = count(sums);
        var minutes = sums.get(MINUTES.name(), BigDecimal.class);
        var percentiles = include.percentiles() ? percentiles(account, range) : null;
        return new Dashboard(calls, Durations.minutes(minutes), Durations.hours(minutes), Durations.average(minutes, calls),
                             sums.get("today", Long.class), sums.get("week", Long.class), sums.get("month", Long.class), range,
                             include.extra(sums, percentiles), null, null, null);
    }

    /** Busiest assistant first; ties by number of calls, then id, so the order never varies. */
    public List<AssistantTotals> byAssistant(UUID account, DateRange range, Include include) {
        var measures = measures(include);
        var facts = CallFacts.of(new Slice(AccountScope.of(account), DaySplit.of(range), Optional.empty()),
                                 List.of(Dimension.ASSISTANT), measures);
        var sumFields = new ArrayList<Field<?>>();
        sumFields.add(Dimension.ASSISTANT.in(facts));
        sumFields.addAll(sums(facts, measures));
        var totals = select(sumFields)
                     .from(facts)
                     .groupBy(Dimension.ASSISTANT.in(facts))
                     .asTable("totals");
        var assistant = Dimension.ASSISTANT.in(totals);
        var calls = totals.field(CALLS_COUNT.name(), BigDecimal.class);
        var minutes = MINUTES.in(totals);
        var fields = new ArrayList<Field<?>>(List.of(totals.fields()));
        fields.add(ASSISTANTS.ASSISTANT_NAME);
        var percentiles = include.percentiles() ? percentilesByAssistant(account, range) : Map.<UUID, Percentiles>of();
        // the names are looked up for the few assistants with calls, after the sums
        return ctx.select(fields)
                  .from(totals)
                  .join(ASSISTANTS)
                  .on(ASSISTANTS.ACCOUNT_ID.eq(account))
                  .and(ASSISTANTS.ASSISTANT_ID.eq(assistant))
                  .where(calls.gt(BigDecimal.ZERO))
                  .orderBy(minutes.desc(), calls.desc(), assistant.asc())
                  .fetch(r -> {
                      var id = r.get(assistant);
                      return AssistantTotals.of(id, r.get(ASSISTANTS.ASSISTANT_NAME), count(r), r.get(minutes))
                                            .with(include.extra(r, percentiles.get(id)));
                  });
    }

    /** One row per phone bucket (see calls.phone_bucket), busiest first, ties by bucket. */
    public List<PhoneBucketTotals> byPhoneNumber(AccountScope scope, DateRange range, Optional<UUID> assistant, Include include) {
        return byKey(new Slice(scope, DaySplit.of(range), assistant), Dimension.PHONE_BUCKET, include,
                     (key, r) -> PhoneBucketTotals.of(key, count(r), r.get(MINUTES.name(), BigDecimal.class)).with(include.extra(r, null)));
    }

    public List<PhoneBucketTotals> byPhoneNumber(AccountScope scope, DateRange range, Optional<UUID> assistant) {
        return byPhoneNumber(scope, range, assistant, Include.NOTHING);
    }

    /** One row per telephony service (unknown for calls without one), busiest first, ties by service. */
    public List<ServiceTotals> byService(AccountScope scope, DateRange range, Optional<UUID> assistant, Include include) {
        return byKey(new Slice(scope, DaySplit.of(range), assistant), Dimension.SERVICE, include,
                     (key, r) -> ServiceTotals.of(key, count(r), r.get(MINUTES.name(), BigDecimal.class)).with(include.extra(r, null)));
    }

    public List<ServiceTotals> byService(AccountScope scope, DateRange range, Optional<UUID> assistant) {
        return byService(scope, range, assistant, Include.NOTHING);
    }

    /** A row of an outcome breakdown: its key and what its calls add up to. */
    public record Outcome(String key, Tally tally) {
    }

    /**
     * Calls, minutes, cost and billable minutes per status, type or end reason (the daily
     * outcomes for whole days), most calls first, ties by key.
     */
    public List<Outcome> byOutcome(AccountScope scope, DaySplit split, Optional<UUID> assistant, Dimension<String> dimension) {
        var facts = CallFacts.of(new Slice(scope, split, assistant), List.of(dimension), List.of(CALLS_COUNT, MINUTES, COST, BILLABLE_MINUTES));
        var key = dimension.in(facts);
        var calls = CALLS_COUNT.sumIn(facts);
        return ctx.select(key, calls, MINUTES.sumIn(facts), COST.sumIn(facts), BILLABLE_MINUTES.sumIn(facts))
                  .from(facts)
                  .groupBy(key)
                  .having(calls.gt(BigDecimal.ZERO))
                  .orderBy(calls.desc(), key.asc())
                  .fetch(r -> new Outcome(r.value1(), Tally.of(r.value2().longValueExact(), r.value3(), r.value4(),
                                                               r.value5().longValueExact())));
    }

    /** What a row of sums per key becomes. */
    private interface KeyRow<R> {
        R of(String key, Record sums);
    }

    private <R> List<R> byKey(Slice slice, Dimension<String> dimension, Include include, KeyRow<R> row) {
        var measures = measures(include);
        var facts = CallFacts.of(slice, List.of(dimension), measures);
        var key = dimension.in(facts);
        var fields = new ArrayList<Field<?>>();
        fields.add(key);
        fields.addAll(sums(facts, measures));
        return ctx.select(fields)
                  .from(facts)
                  .groupBy(key)
                  .having(CALLS_COUNT.sumIn(facts).gt(BigDecimal.ZERO))
                  .orderBy(MINUTES.sumIn(facts).desc(), key.asc())
                  .fetch(r -> row.of(r.get(key), r));
    }

    /**
     * Buckets with calls only, in time order. Rows are summed per bucket start (the day, the
     * Monday of the ISO week, the first of the month, on the clocks of {@code zone}) and only the
     * buckets get their label: to_char on every rollup of a year costs more than the sums.
     */
    public List<TimeBucket> byTime(UUID account, DateRange range, Granularity granularity, Optional<UUID> assistant, ZoneId zone,
                                   Include include) {
        var bucket = Dimension.timeBucket(granularity, zone);
        var split = DaySplit.of(range);
        if (!Zones.isUtc(zone)) {
            // buckets that start inside UTC days: no row read may straddle one
            split = split.cutAt(granularity.buckets(range.startDate(), range.endDate(), zone).stream().map(Granularity.Bucket::start).toList());
        }
        var measures = measures(include);
        var facts = CallFacts.of(new Slice(AccountScope.of(account), split, assistant), List.of(bucket), measures);
        var start = bucket.in(facts);
        var label = toChar(start, inline(granularity.labelPattern())).as("label");
        var fields = new ArrayList<Field<?>>();
        fields.add(label);
        fields.addAll(sums(facts, measures));
        return ctx.select(fields)
                  .from(facts)
                  .groupBy(start)
                  .having(CALLS_COUNT.sumIn(facts).gt(BigDecimal.ZERO))
                  .orderBy(start.asc())
                  .fetch(r -> TimeBucket.of(r.get(label), count(r), r.get(MINUTES.name(), BigDecimal.class)).with(include.extra(r, null)));
    }

    public List<TimeBucket> byTime(UUID account, DateRange range, Granularity granularity, Optional<UUID> assistant, ZoneId zone) {
        return byTime(account, range, granularity, assistant, zone, Include.NOTHING);
    }

    /** The rows of a typed query, the source that answered, and whether the rows were cut at the query's limit. */
    public record QueryAnswer(List<Map<String, Object>> rows, String source, boolean truncated, DateRange dateRange,
                              @JsonInclude(NON_NULL) String step, @JsonInclude(NON_NULL) String timezone) {
    }

    /** The name each dimension has in a typed query's rows. */
    private static final Map<Dimension<?>, String> ROW_NAMES = Map.of(
            Dimension.ASSISTANT, "assistant_id", Dimension.PHONE_BUCKET, "phone_number", Dimension.SERVICE, "service",
            Dimension.STATUS, "call_status", Dimension.TYPE, "call_type", Dimension.END_REASON, "end_reason");

    /**
     * A typed query (POST /analytics/query), compiled with the jOOQ DSL: from the coarsest source
     * that has every dimension it groups and filters by, or from the raw calls when it asks for
     * what only they have (minimums, maximums, percentiles, ranges of a call's minutes or cost).
     */
    public QueryAnswer answer(AccountScope scope, TypedQuery query) {
        var dimensions = new ArrayList<Dimension<?>>(query.groupBy());
        query.filters().keySet().stream().filter(filter -> !dimensions.contains(filter)).forEach(dimensions::add);
        var bucket = query.step().map(step -> Dimension.timeBucket(step, query.zone()));
        bucket.ifPresent(dimensions::add);
        var split = DaySplit.of(query.range());
        if (query.step().isPresent() && (query.step().get() == Granularity.HOUR || !Zones.isUtc(query.zone()))) {
            // buckets that start inside UTC days: no row read may straddle one
            split = split.cutAt(query.step().get().buckets(query.range().startDate(), query.range().endDate(), query.zone()).stream()
                                     .map(Granularity.Bucket::start).toList());
        }
        var slice = new Slice(scope, split, Optional.empty());
        var source = query.rawOnly() ? Source.CALLS_ONLY : CallFacts.sourceFor(slice, dimensions);
        var facts = CallFacts.of(slice, dimensions, List.of(CALLS_COUNT, MINUTES, COST, BILLABLE_MINUTES), source);

        Condition where = noCondition();
        for (var filter : query.filters().entrySet()) {
            where = where.and(filter.getKey().in(facts).in(filter.getValue()));
        }
        where = where.and(bounds(MINUTES.in(facts), query.minutes())).and(bounds(COST.in(facts), query.cost()));
        var fields = new ArrayList<Field<?>>();
        var groups = new ArrayList<Field<?>>();
        var order = new ArrayList<SortField<?>>();
        bucket.ifPresent(b -> {
            fields.add(toChar(b.in(facts), inline(query.step().get().labelPattern())).as("period"));
            groups.add(b.in(facts));
            order.add(b.in(facts).asc());
        });
        for (var dimension : query.groupBy()) {
            fields.add(dimension.in(facts).as(ROW_NAMES.get(dimension)));
            groups.add(dimension.in(facts));
            order.add(dimension.in(facts).asc());
        }
        for (var output : query.outputs()) {
            fields.add(output(output, facts).as(output.label()));
        }
        var rows = ctx.select(fields)
                      .from(facts)
                      .where(where)
                      .groupBy(groups)
                      .having(CALLS_COUNT.sumIn(facts).gt(BigDecimal.ZERO))
                      .orderBy(order)
                      .limit(query.limit() + 1)
                      .fetch(r -> row(r, query));
        boolean truncated = rows.size() > query.limit();
        return new QueryAnswer(truncated ? rows.subList(0, query.limit()) : rows, source.label(), truncated, query.range(),
                               query.step().map(Granularity::label).orElse(null), Zones.isUtc(query.zone()) ? null : query.zone().getId());
    }

    private static Condition bounds(Field<BigDecimal> value, TypedQuery.Bounds bounds) {
        return bounds.min().map(value::ge).orElse(noCondition()).and(bounds.max().map(value::le).orElse(noCondition()));
    }

    /** The SQL of an output over the rows of the facts (each a raw call when the output is raw-only). */
    private static Field<BigDecimal> output(TypedQuery.Output output, Table<?> facts) {
        var calls = CALLS_COUNT.sumIn(facts);
        var minutes = MINUTES.in(facts);
        var cost = COST.in(facts);
        return switch (output) {
            case CALLS -> calls;
            case MINUTES -> MINUTES.sumIn(facts);
            case BILLABLE_MINUTES -> BILLABLE_MINUTES.sumIn(facts);
            case COST -> COST.sumIn(facts);
            case AVG_MINUTES -> MINUTES.sumIn(facts).divide(nullif(calls, BigDecimal.ZERO));
            case AVG_COST -> COST.sumIn(facts).divide(nullif(calls, BigDecimal.ZERO));
            case MIN_MINUTES -> min(minutes);
            case MAX_MINUTES -> max(minutes);
            case MIN_COST -> min(cost);
            case MAX_COST -> max(cost);
            case P50_MINUTES -> percentileCont(new BigDecimal("0.5")).withinGroupOrderBy(minutes);
            case P90_MINUTES -> percentileCont(new BigDecimal("0.9")).withinGroupOrderBy(minutes);
            case P99_MINUTES -> percentileCont(new BigDecimal("0.99")).withinGroupOrderBy(minutes);
        };
    }

    /** A row as the answer gives it: counts as integers, everything else rounded once, half up, to two decimals. */
    private static Map<String, Object> row(Record r, TypedQuery query) {
        var row = new LinkedHashMap<String, Object>();
        if (query.step().isPresent()) {
            row.put("period", r.get("period", String.class));
        }
        for (var dimension : query.groupBy()) {
            row.put(ROW_NAMES.get(dimension), r.get(ROW_NAMES.get(dimension)));
        }
        for (var output : query.outputs()) {
            var value = r.get(output.label(), BigDecimal.class);
            row.put(output.label(), switch (output) {
                case CALLS, BILLABLE_MINUTES -> value == null ? 0 : value.longValueExact();
                default -> value == null ? null : Durations.signedMinutes(value);
            });
        }
        return row;
    }

    /** Whether an assistant of that id exists in one of the scope's accounts. */
    public boolean assistantExists(AccountScope scope, UUID assistant) {
        return ctx.fetchExists(ASSISTANTS, scope.on(ASSISTANTS.ACCOUNT_ID).and(ASSISTANTS.ASSISTANT_ID.eq(assistant)));
    }

    /** Exact percentiles of the durations of the account's calls in the range (raw calls: a sort of the range). */
    private Percentiles percentiles(UUID account, DateRange range) {
        return Percentiles.of(ctx.select(DURATION_PERCENTILES)
                                 .from(CALLS)
                                 .where(CALLS.ACCOUNT_ID.eq(account))
                                 .and(CALLS.STARTED_AT.between(DaySplit.utc(range.startDate()), DaySplit.utc(range.endDate())))
                                 .fetchOne(DURATION_PERCENTILES));
    }

    private Map<UUID, Percentiles> percentilesByAssistant(UUID account, DateRange range) {
        return ctx.select(CALLS.ASSISTANT_ID, DURATION_PERCENTILES)
                  .from(CALLS)
                  .where(CALLS.ACCOUNT_ID.eq(account))
                  .and(CALLS.STARTED_AT.between(DaySplit.utc(range.startDate()), DaySplit.utc(range.endDate())))
                  .groupBy(CALLS.ASSISTANT_ID)
                  .fetchMap(CALLS.ASSISTANT_ID, r -> Percentiles.of(r.value2()));
    }

    /** Calls and minutes, and what the request includes. */
    private static List<Measure<?>> measures(Include include) {
        var measures = new ArrayList<Measure<?>>(CALLS_AND_MINUTES);
        measures.addAll(include.measures());
        return measures;
    }

    /** The sum of each measure, named as the measure. */
    private static List<Field<BigDecimal>> sums(Table<?> facts, List<Measure<?>> measures) {
        return measures.stream().map(measure -> measure.sumIn(facts).as(measure.name())).toList();
    }

    private static long count(Record sums) {
        var calls = sums.get(CALLS_COUNT.name(), BigDecimal.class);
        return calls == null ? 0 : calls.longValueExact();
    }

    /** The calls started from {@code start} to {@code end}, both included. */
    private static Field<Long> callsBetween(AccountScope scope, Instant start, Instant end) {
        var facts = CallFacts.of(new Slice(scope, new DaySplit(Optional.of(start), Optional.of(end)), Optional.empty()),
                                 List.of(), List.of(CALLS_COUNT));
        return field(select(coalesce(CALLS_COUNT.sumIn(facts), BigDecimal.ZERO).cast(Long.class)).from(facts));
    }
}
