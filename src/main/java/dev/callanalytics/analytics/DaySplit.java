package dev.callanalytics.analytics;

import dev.callanalytics.http.DateRange;
import org.jooq.Condition;
import org.jooq.Field;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.jooq.impl.DSL.falseCondition;

/**
 * A range cut into the whole UTC days inside it, read from the daily rollups, and the partial
 * days at its edges, read from the raw calls. For 2026-03-01T10:00Z .. 2026-03-05T23:59:59.999999Z:
 * raw calls from 03-01 10:00 to 03-02 00:00, rollups of 03-02 .. 03-05.
 */
record DaySplit(Instant start, Instant end, LocalDate firstWholeDay, LocalDate afterLastWholeDay) {

    static DaySplit of(DateRange range) {
        var startDay = range.startDate().truncatedTo(ChronoUnit.DAYS);
        var first = startDay.equals(range.startDate()) ? startDay : startDay.plus(1, ChronoUnit.DAYS);
        // The end is inclusive: a day is whole when the instant just after the end starts a later day.
        var after = range.endDate().plus(1, ChronoUnit.MICROS).truncatedTo(ChronoUnit.DAYS);
        return new DaySplit(range.startDate(), range.endDate(), day(first), day(after));
    }

    boolean hasWholeDays() {
        return firstWholeDay.isBefore(afterLastWholeDay);
    }

    /** The rollup days inside the range. */
    Condition wholeDays(Field<LocalDate> day) {
        return hasWholeDays() ? day.ge(firstWholeDay).and(day.lt(afterLastWholeDay)) : falseCondition();
    }

    /** The raw calls of the partial days at the edges (or of the whole range, if no day is whole). */
    Condition edges(Field<OffsetDateTime> startedAt) {
        if (!hasWholeDays()) {
            return startedAt.between(utc(start), utc(end));
        }
        return startedAt.ge(utc(start)).and(startedAt.lt(midnight(firstWholeDay)))
                        .or(startedAt.ge(midnight(afterLastWholeDay)).and(startedAt.le(utc(end))));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static OffsetDateTime midnight(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static LocalDate day(Instant midnight) {
        return LocalDate.ofInstant(midnight, ZoneOffset.UTC);
    }
}
