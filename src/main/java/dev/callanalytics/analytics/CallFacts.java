package dev.callanalytics.analytics;

import dev.callanalytics.analytics.DaySplit.Interval;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_TOTALS;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;

/**
 * The rows a question over a range of started_at is summed from, each with the dimensions and
 * measures the question needs, from the coarsest {@link Source} that has them all:
 * <ul>
 *   <li>the account totals, when nothing but the account or the time is asked for: their whole
 *       UTC days and the whole quarter hours of the partial days, and the raw calls of the
 *       partial quarter hours at the very edges;
 *   <li>the daily rollups (assistant, number, service) or outcomes (assistant, status, type, end
 *       reason): their whole UTC days, and the raw calls of the partial days;
 *   <li>otherwise the raw calls of the whole range.
 * </ul>
 * So an answer costs what its size costs, not what the number of calls costs (see {@link DaySplit}).
 */
public final class CallFacts {

    private CallFacts() {
    }

    /** What a question reads: whose calls, which days, and optionally one assistant's only. */
    public record Slice(AccountScope scope, DaySplit split, Optional<UUID> assistant) {

        Condition ofAssistant(Field<UUID> assistantId) {
            return assistant.map(assistantId::eq).orElse(noCondition());
        }
    }

    /** The coarsest source with every dimension asked for (and the assistant, when one is filtered on). */
    public static Source sourceFor(Slice slice, List<Dimension<?>> dimensions) {
        if (slice.scope().together() && !dimensions.isEmpty()) {
            throw new IllegalArgumentException("accounts together have no dimension: " + dimensions);
        }
        var asked = new ArrayList<>(dimensions);
        if (slice.assistant().isPresent()) {
            asked.add(Dimension.ASSISTANT);
        }
        for (var source : List.of(Source.TOTALS, Source.ROLLUPS, Source.OUTCOMES)) {
            if (asked.stream().allMatch(dimension -> dimension.availableIn(source))) {
                return source;
            }
        }
        return Source.CALLS_ONLY;
    }

    /** The rows of {@code slice}, with a column per dimension and per measure, named as they are. */
    public static Table<Record> of(Slice slice, List<Dimension<?>> dimensions, List<Measure<?>> measures) {
        return of(slice, dimensions, measures, sourceFor(slice, dimensions));
    }

    /** The same, from {@code source} (the raw calls, say, for what no pre-aggregation keeps). */
    public static Table<Record> of(Slice slice, List<Dimension<?>> dimensions, List<Measure<?>> measures, Source source) {
        if (!dimensions.stream().allMatch(dimension -> dimension.availableIn(source))) {
            throw new IllegalArgumentException(source + " lacks one of " + dimensions);
        }
        var parts = new ArrayList<Select<Record>>();
        var fromCalls = select(columns(Source.CALLS_ONLY, dimensions, measures))
                .from(CALLS)
                .where(slice.scope().on(CALLS.ACCOUNT_ID))
                .and(slice.ofAssistant(CALLS.ASSISTANT_ID));
        switch (source) {
            case TOTALS -> {
                var columns = columns(source, dimensions, measures);
                for (var days : slice.split().wholeDayStarts()) {
                    parts.add(totals(columns, slice, "day", days));
                }
                for (var quarters : slice.split().wholeQuarterStarts()) {
                    parts.add(totals(columns, slice, "quarter", quarters));
                }
                parts.add(fromCalls.and(slice.split().partialQuarters(CALLS.STARTED_AT)));
            }
            case ROLLUPS, OUTCOMES -> {
                parts.add(select(columns(source, dimensions, measures))
                          .from(source.table())
                          .where(slice.scope().on(source.accountId()))
                          .and(slice.split().wholeDays(source.day()))
                          .and(slice.ofAssistant(Dimension.ASSISTANT.of(source))));
                parts.add(fromCalls.and(slice.split().edges(CALLS.STARTED_AT)));
            }
            case CALLS_ONLY -> parts.add(fromCalls.and(slice.split().everything(CALLS.STARTED_AT)));
        }
        var union = parts.getFirst();
        for (var part : parts.subList(1, parts.size())) {
            union = union.unionAll(part);
        }
        return union.asTable(name("facts"));
    }

    /** One level of the account totals over an interval of period starts. */
    private static Select<Record> totals(List<SelectField<?>> columns, Slice slice, String level, Interval periods) {
        return select(columns)
                .from(CALL_TOTALS)
                .where(slice.scope().onTotals(CALL_TOTALS.ACCOUNT_ID))
                .and(CALL_TOTALS.LEVEL.eq(inline(level)))
                .and(CALL_TOTALS.PERIOD_START.ge(DaySplit.utc(periods.from())))
                .and(CALL_TOTALS.PERIOD_START.lt(DaySplit.utc(periods.until())));
    }

    /** The columns of one source, named as the dimensions and measures; a raw call's cast to the pre-aggregations' SQL types. */
    private static List<SelectField<?>> columns(Source source, List<Dimension<?>> dimensions, List<Measure<?>> measures) {
        var fields = new ArrayList<SelectField<?>>();
        for (var dimension : dimensions) {
            fields.add(dimension.of(source).as(dimension.name()));
        }
        for (var measure : measures) {
            var field = measure.of(source);
            // the same SQL type on every side of the UNION
            fields.add((source == Source.CALLS_ONLY ? field.cast(measure.of(Source.ROLLUPS).getDataType()) : field).as(measure.name()));
        }
        return fields;
    }
}
