package dev.callanalytics.analytics;

import dev.callanalytics.http.Zones;
import org.jooq.Field;
import org.jooq.Table;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.analytics.Source.OUTCOMES;
import static dev.callanalytics.analytics.Source.ROLLUPS;
import static dev.callanalytics.analytics.Source.TOTALS;
import static dev.callanalytics.db.Routines.callEndReasonLabel;
import static dev.callanalytics.db.Routines.callServiceLabel;
import static dev.callanalytics.db.Routines.callTypeLabel;
import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_OUTCOMES;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static dev.callanalytics.db.Tables.CALL_TOTALS;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.SQLDataType.LOCALDATETIME;

/**
 * What the analytics group calls by: its column in each pre-aggregation that has it (see
 * {@link Source}), and the same value computed from a raw call, as the database's labels
 * (call_service_label, ...) and the rollup trigger compute it.
 */
public record Dimension<K>(String name, Class<K> type, Map<Source, Field<K>> columns, Field<K> perCall) {

    public static final Dimension<UUID> ACCOUNT = new Dimension<>("account_id", UUID.class,
            Map.of(TOTALS, CALL_TOTALS.ACCOUNT_ID, ROLLUPS, CALL_ROLLUPS.ACCOUNT_ID, OUTCOMES, CALL_OUTCOMES.ACCOUNT_ID), CALLS.ACCOUNT_ID);
    public static final Dimension<UUID> ASSISTANT = new Dimension<>("assistant_id", UUID.class,
            Map.of(ROLLUPS, CALL_ROLLUPS.ASSISTANT_ID, OUTCOMES, CALL_OUTCOMES.ASSISTANT_ID), CALLS.ASSISTANT_ID);
    public static final Dimension<String> PHONE_BUCKET = new Dimension<>("phone_bucket", String.class,
            Map.of(ROLLUPS, CALL_ROLLUPS.PHONE_BUCKET), CALLS.PHONE_BUCKET);
    /** The call's service, or unknown. */
    public static final Dimension<String> SERVICE = new Dimension<>("service", String.class,
            Map.of(ROLLUPS, CALL_ROLLUPS.SERVICE), callServiceLabel(CALLS.CALL_SERVICE));
    public static final Dimension<String> STATUS = new Dimension<>("call_status", String.class,
            Map.of(OUTCOMES, CALL_OUTCOMES.CALL_STATUS), CALLS.CALL_STATUS);
    /** outbound, inbound, web, or unknown. */
    public static final Dimension<String> TYPE = new Dimension<>("call_type", String.class,
            Map.of(OUTCOMES, CALL_OUTCOMES.CALL_TYPE), callTypeLabel(CALLS.CALL_TYPE));
    /** The call's call_end_reason, or unknown. */
    public static final Dimension<String> END_REASON = new Dimension<>("end_reason", String.class,
            Map.of(OUTCOMES, CALL_OUTCOMES.END_REASON), callEndReasonLabel(CALLS.CALL_END_REASON));

    /** The UTC wall-clock time of a call's start, which every UTC time bucket is taken on. */
    private static final Field<LocalDateTime> STARTED_AT_UTC = field("timezone('UTC', {0})", LOCALDATETIME, CALLS.STARTED_AT);

    public Dimension {
        columns = Map.copyOf(columns);
    }

    /** The start of the UTC day, ISO week (its Monday) or month a call started in. */
    public static Dimension<LocalDateTime> timeBucket(Granularity granularity) {
        var unit = inline(granularity.label());
        return new Dimension<>("bucket_start", LocalDateTime.class,
                Map.of(TOTALS, field("date_trunc({0}, timezone('UTC', {1}))", LOCALDATETIME, unit, CALL_TOTALS.PERIOD_START),
                       ROLLUPS, field("date_trunc({0}, {1}::timestamp)", LOCALDATETIME, unit, CALL_ROLLUPS.DAY),
                       OUTCOMES, field("date_trunc({0}, {1}::timestamp)", LOCALDATETIME, unit, CALL_OUTCOMES.DAY)),
                field("date_trunc({0}, {1})", LOCALDATETIME, unit, STARTED_AT_UTC));
    }

    /**
     * The start of the day, ISO week or month a call started in, on the clocks of {@code zone}.
     * Rows of a pre-aggregation are bucketed by their start: only rows that lie in one bucket are
     * read (see {@link DaySplit#cutAt}).
     */
    public static Dimension<LocalDateTime> timeBucket(Granularity granularity, ZoneId zone) {
        if (Zones.isUtc(zone)) {
            return timeBucket(granularity);
        }
        var unit = inline(granularity.label());
        var tz = inline(zone.getId());
        return new Dimension<>("bucket_start", LocalDateTime.class,
                Map.of(TOTALS, field("date_trunc({0}, timezone({1}, {2}))", LOCALDATETIME, unit, tz, CALL_TOTALS.PERIOD_START),
                       ROLLUPS, field("date_trunc({0}, timezone({1}, {2}::timestamp AT TIME ZONE 'UTC'))", LOCALDATETIME, unit, tz,
                                      CALL_ROLLUPS.DAY),
                       OUTCOMES, field("date_trunc({0}, timezone({1}, {2}::timestamp AT TIME ZONE 'UTC'))", LOCALDATETIME, unit, tz,
                                       CALL_OUTCOMES.DAY)),
                field("date_trunc({0}, timezone({1}, {2}))", LOCALDATETIME, unit, tz, CALLS.STARTED_AT));
    }

    /** Whether rows of {@code source} carry this dimension. */
    boolean availableIn(Source source) {
        return source == Source.CALLS_ONLY || columns.containsKey(source);
    }

    /** Its value in a row of {@code source} (a raw call's for CALLS_ONLY). */
    Field<K> of(Source source) {
        return Optional.ofNullable(source == Source.CALLS_ONLY ? perCall : columns.get(source))
                       .orElseThrow(() -> new IllegalArgumentException(name + " is not in " + source));
    }

    /** This dimension's column in the rows of a {@link CallFacts} table. */
    public Field<K> in(Table<?> facts) {
        return facts.field(name, type);
    }
}
