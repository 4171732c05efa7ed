package dev.callanalytics.analytics;

import org.jooq.Field;
import org.jooq.Table;

import java.time.LocalDate;
import java.util.UUID;

import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_OUTCOMES;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static dev.callanalytics.db.Tables.CALL_TOTALS;

/**
 * Where the rows of a question come from, coarsest first: the account totals (days and quarter
 * hours), the daily rollups by assistant, number and service, the daily outcomes by assistant,
 * status, type and end reason, and the raw calls, which have every dimension. The first that has
 * every dimension a question asks for answers it (see {@link CallFacts}); the raw calls always
 * answer the partial days (or quarter hours) at the edges of a range.
 */
public enum Source {
    TOTALS(CALL_TOTALS, CALL_TOTALS.ACCOUNT_ID, null),
    ROLLUPS(CALL_ROLLUPS, CALL_ROLLUPS.ACCOUNT_ID, CALL_ROLLUPS.DAY),
    OUTCOMES(CALL_OUTCOMES, CALL_OUTCOMES.ACCOUNT_ID, CALL_OUTCOMES.DAY),
    CALLS_ONLY(CALLS, CALLS.ACCOUNT_ID, null);

    private final Table<?> table;
    private final Field<UUID> accountId;
    private final Field<LocalDate> day;

    Source(Table<?> table, Field<UUID> accountId, Field<LocalDate> day) {
        this.table = table;
        this.accountId = accountId;
        this.day = day;
    }

    Table<?> table() {
        return table;
    }

    Field<UUID> accountId() {
        return accountId;
    }

    /** The UTC day of a daily source's row (ROLLUPS, OUTCOMES). */
    Field<LocalDate> day() {
        return day;
    }

    /** The name an answer gives it: which pre-aggregation answered, or the raw calls. */
    public String label() {
        return switch (this) {
            case TOTALS -> "account totals";
            case ROLLUPS, OUTCOMES -> "daily rollups";
            case CALLS_ONLY -> "raw calls";
        };
    }
}
