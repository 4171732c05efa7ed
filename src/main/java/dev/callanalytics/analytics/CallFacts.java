package dev.callanalytics.analytics;

import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;

/**
 * The rows a question over a range of started_at is summed from: one per daily rollup of a whole
 * UTC day of the range, one per raw call of the partial days at its edges (see {@link DaySplit}),
 * each with the dimensions and measures the question needs. So an answer costs what its size
 * costs, not what the number of calls costs: a year of the largest account is some tens of
 * thousands of rows.
 */
public final class CallFacts {

    private CallFacts() {
    }

    /** What a question reads: whose calls, which days, and optionally one assistant's only. */
    public record Slice(AccountScope scope, DaySplit split, Optional<UUID> assistant) {

        Condition onRollups() {
            return scope.on(CALL_ROLLUPS.ACCOUNT_ID)
                        .and(split.wholeDays(CALL_ROLLUPS.DAY))
                        .and(assistant.map(CALL_ROLLUPS.ASSISTANT_ID::eq).orElse(noCondition()));
        }

        Condition onCalls() {
            return scope.on(CALLS.ACCOUNT_ID)
                        .and(split.edges(CALLS.STARTED_AT))
                        .and(assistant.map(CALLS.ASSISTANT_ID::eq).orElse(noCondition()));
        }
    }

    /** The rows of {@code slice}, with a column per dimension and per measure, named as they are. */
    public static Table<Record> of(Slice slice, List<Dimension<?>> dimensions, List<Measure<?>> measures) {
        var fromRollups = new ArrayList<SelectField<?>>();
        var fromCalls = new ArrayList<SelectField<?>>();
        for (var dimension : dimensions) {
            fromRollups.add(dimension.rollup().as(dimension.name()));
            fromCalls.add(dimension.perCall().as(dimension.name()));
        }
        for (var measure : measures) {
            fromRollups.add(measure.rollup().as(measure.name()));
            // the same SQL type on both sides of the UNION
            fromCalls.add(measure.perCall().cast(measure.rollup().getDataType()).as(measure.name()));
        }
        var rollups = select(fromRollups)
                .from(CALL_ROLLUPS)
                .where(slice.onRollups());
        var edges = select(fromCalls)
                .from(CALLS)
                .where(slice.onCalls());
        return rollups.unionAll(edges).asTable(name("facts"));
    }
}
