package dev.callanalytics.analytics;

import org.jooq.Field;
import org.jooq.Table;

import java.time.LocalDateTime;
import java.util.UUID;

import static dev.callanalytics.db.Routines.callServiceLabel;
import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static dev.callanalytics.db.Tables.CALL_TOTALS;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.SQLDataType.LOCALDATETIME;

/**
 * What the analytics group calls by, read from each source of {@link CallFacts}: the column of
 * the daily rollups, that of the account totals (null when they do not have it), and the same
 * value computed from a raw call.
 */
public record Dimension<K>(String name, Class<K> type, Field<K> rollup, Field<K> total, Field<K> perCall) {

    public static final Dimension<UUID> ACCOUNT =
            new Dimension<>("account_id", UUID.class, CALL_ROLLUPS.ACCOUNT_ID, CALL_TOTALS.ACCOUNT_ID, CALLS.ACCOUNT_ID);
    public static final Dimension<UUID> ASSISTANT =
            new Dimension<>("assistant_id", UUID.class, CALL_ROLLUPS.ASSISTANT_ID, null, CALLS.ASSISTANT_ID);
    public static final Dimension<String> PHONE_BUCKET =
            new Dimension<>("phone_bucket", String.class, CALL_ROLLUPS.PHONE_BUCKET, null, CALLS.PHONE_BUCKET);
    /** The call's service, or unknown: the database's call_service_label, as the rollup trigger applies it. */
    public static final Dimension<String> SERVICE =
            new Dimension<>("service", String.class, CALL_ROLLUPS.SERVICE, null, callServiceLabel(CALLS.CALL_SERVICE));

    /** The UTC wall-clock time of a call's start, which every time bucket is taken on. */
    private static final Field<LocalDateTime> STARTED_AT_UTC = field("timezone('UTC', {0})", LOCALDATETIME, CALLS.STARTED_AT);

    /** The start of the UTC day, ISO week (its Monday) or month a call started in. */
    public static Dimension<LocalDateTime> timeBucket(Granularity granularity) {
        var unit = inline(granularity.label());
        return new Dimension<>("bucket_start", LocalDateTime.class,
                               field("date_trunc({0}, {1}::timestamp)", LOCALDATETIME, unit, CALL_ROLLUPS.DAY),
                               field("date_trunc({0}, timezone('UTC', {1}))", LOCALDATETIME, unit, CALL_TOTALS.PERIOD_START),
                               field("date_trunc({0}, {1})", LOCALDATETIME, unit, STARTED_AT_UTC));
    }

    /** This dimension's column in the rows of a {@link CallFacts} table. */
    public Field<K> in(Table<?> facts) {
        return facts.field(name, type);
    }
}
