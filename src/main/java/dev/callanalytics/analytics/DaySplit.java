package dev.callanalytics.analytics;

import dev.callanalytics.http.DateRange;
import org.jooq.Condition;
import org.jooq.Field;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.noCondition;

/**
 * A range of started_at cut into the whole UTC days inside it, read from the daily rollups, and
 * the partial days at its edges, read from the raw calls. For 2026-03-01T10:00Z ..
 * 2026-03-05T23:59:59.999999Z: raw calls from 03-01 10:00 to 03-02 00:00, rollups of 03-02 ..
 * 03-05. Either end may be open (call logs): then every day on that side is whole.
 */
public record DaySplit(Optional<Instant> start, Optional<Instant> end) {

    public static DaySplit of(DateRange range) {
        return new DaySplit(Optional.of(range.startDate()), Optional.of(range.endDate()));
    }

    /** The first day that starts at or after the start. */
    private Optional<LocalDate> firstWholeDay() {
        return start.map(s -> {
            var midnight = s.truncatedTo(ChronoUnit.DAYS);
            return day(midnight.equals(s) ? midnight : midnight.plus(1, ChronoUnit.DAYS));
        });
    }

    /** The day after the last whole one: the end is inclusive, so a day is whole when the instant just after the end starts a later day. */
    private Optional<LocalDate> afterLastWholeDay() {
        return end.map(e -> day(e.plus(1, ChronoUnit.MICROS).truncatedTo(ChronoUnit.DAYS)));
    }

    private boolean hasWholeDays() {
        var first = firstWholeDay();
        var after = afterLastWholeDay();
        return first.isEmpty() || after.isEmpty() || first.get().isBefore(after.get());
    }

    /** The rollup days inside the range. */
    public Condition wholeDays(Field<LocalDate> day) {
        if (!hasWholeDays()) {
            return falseCondition();
        }
        return firstWholeDay().map(day::ge).orElse(noCondition())
                              .and(afterLastWholeDay().map(day::lt).orElse(noCondition()));
    }

    /** The raw calls of the partial days at the edges (or of the whole range, if no day is whole). */
    public Condition edges(Field<OffsetDateTime> startedAt) {
        if (!hasWholeDays()) {
            return startedAt.between(utc(start.orElseThrow()), utc(end.orElseThrow()));
        }
        var before = start.map(s -> startedAt.ge(utc(s)).and(startedAt.lt(midnight(firstWholeDay().orElseThrow()))));
        var after = end.map(e -> startedAt.ge(midnight(afterLastWholeDay().orElseThrow())).and(startedAt.le(utc(e))));
        return before.orElse(falseCondition()).or(after.orElse(falseCondition()));
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static OffsetDateTime midnight(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static LocalDate day(Instant midnight) {
        return LocalDate.ofInstant(midnight, ZoneOffset.UTC);
    }
}
