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
import java.util.function.Function;

import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static dev.callanalytics.db.Tables.CALL_TOTALS;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;

/**
 * The rows a question over a range of started_at is summed from, each with the dimensions and
 * measures the question needs, from the coarsest pre-aggregation that has them:
 * <ul>
 *   <li>nothing but the account (totals, the operator's view per account, time buckets of all
 *       assistants): call_totals for the whole UTC days and the whole quarter hours of the
 *       partial days, the raw calls of the partial quarter hours at the very edges;
 *   <li>an assistant, phone bucket or service: call_rollups for the whole UTC days, the raw calls
 *       of the partial days.
 * </ul>
 * So an answer costs what its size costs, not what the number of calls costs (see {@link DaySplit}).
 */
public final class CallFacts {

    private CallFacts() {
    }

    /** What a question reads: whose calls, which days, and optionally one assistant's only. */
    public record Slice(AccountScope scope, DaySplit split, Optional<UUID> assistant) {

        /** Whether the account totals can answer for these dimensions: they have no assistant. */
        boolean byTotals(List<Dimension<?>> dimensions) {
            return assistant.isEmpty() && dimensions.stream().allMatch(dimension -> dimension.total() != null);
        }

        Condition ofAssistant(Field<UUID> assistantId) {
            return assistant.map(assistantId::eq).orElse(noCondition());
        }
    }

    /** The rows of {@code slice}, with a column per dimension and per measure, named as they are. */
    public static Table<Record> of(Slice slice, List<Dimension<?>> dimensions, List<Measure<?>> measures) {
        var parts = new ArrayList<Select<Record>>();
        if (slice.byTotals(dimensions)) {
            var totals = columns(dimensions, Dimension::total, measures, Measure::total, false);
            slice.split().wholeDayStarts().ifPresent(days -> parts.add(totals(totals, slice, "day", days)));
            for (var quarters : slice.split().wholeQuarterStarts()) {
                parts.add(totals(totals, slice, "quarter", quarters));
            }
            parts.add(select(columns(dimensions, Dimension::perCall, measures, Measure::perCall, true))
                      .from(CALLS)
                      .where(slice.scope().on(CALLS.ACCOUNT_ID))
                      .and(slice.split().partialQuarters(CALLS.STARTED_AT)));
        } else {
            parts.add(select(columns(dimensions, Dimension::rollup, measures, Measure::rollup, false))
                      .from(CALL_ROLLUPS)
                      .where(slice.scope().on(CALL_ROLLUPS.ACCOUNT_ID))
                      .and(slice.split().wholeDays(CALL_ROLLUPS.DAY))
                      .and(slice.ofAssistant(CALL_ROLLUPS.ASSISTANT_ID)));
            parts.add(select(columns(dimensions, Dimension::perCall, measures, Measure::perCall, true))
                      .from(CALLS)
                      .where(slice.scope().on(CALLS.ACCOUNT_ID))
                      .and(slice.split().edges(CALLS.STARTED_AT))
                      .and(slice.ofAssistant(CALLS.ASSISTANT_ID)));
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
                .where(slice.scope().on(CALL_TOTALS.ACCOUNT_ID))
                .and(CALL_TOTALS.LEVEL.eq(inline(level)))
                .and(CALL_TOTALS.PERIOD_START.ge(DaySplit.utc(periods.from())))
                .and(CALL_TOTALS.PERIOD_START.lt(DaySplit.utc(periods.until())));
    }

    /** The columns of one source, named as the dimensions and measures; a raw call's cast to the pre-aggregations' SQL types. */
    private static List<SelectField<?>> columns(List<Dimension<?>> dimensions, Function<Dimension<?>, Field<?>> dimension,
                                                List<Measure<?>> measures, Function<Measure<?>, Field<?>> measure,
                                                boolean perCall) {
        var fields = new ArrayList<SelectField<?>>();
        for (var d : dimensions) {
            fields.add(dimension.apply(d).as(d.name()));
        }
        for (var m : measures) {
            var field = measure.apply(m);
            // the same SQL type on every side of the UNION
            fields.add((perCall ? field.cast(m.rollup().getDataType()) : field).as(m.name()));
        }
        return fields;
    }
}
