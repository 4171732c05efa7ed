package dev.callanalytics.analytics;

import dev.callanalytics.http.DateRange;
import org.jooq.Condition;
import org.jooq.Field;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.noCondition;

/**
 * A range of started_at cut into the pieces the pre-aggregations answer: the whole UTC days
 * inside it (daily rollups, or the day totals), and the partial days at its edges, which are read
 * from the raw calls, or, where no dimension but the account is asked for, from the quarter-hour
 * totals with the raw calls of the partial quarter hours only. For 2026-03-01T10:07Z ..
 * 2026-03-05T23:59:59.999999Z: whole days 03-02 .. 03-05; the partial day 03-01 10:07 .. 03-02
 * 00:00, which is raw 10:07 .. 10:15 and quarters 10:15 .. 00:00. Either end may be open (call
 * logs): then every day on that side is whole.
 */
public record DaySplit(Optional<Instant> start, Optional<Instant> end) {

    private static final long QUARTER_SECONDS = 15 * 60;

    public static DaySplit of(DateRange range) {
        return new DaySplit(Optional.of(range.startDate()), Optional.of(range.endDate()));
    }

    /** An interval of time, its end excluded. */
    public record Interval(Instant from, Instant until) {

        Condition on(Field<OffsetDateTime> instant) {
            return instant.ge(utc(from)).and(instant.lt(utc(until)));
        }
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
        return end.map(e -> day(afterEnd(e).truncatedTo(ChronoUnit.DAYS)));
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

    /** The whole days inside a closed range, as one interval of day starts (none when no day is whole). */
    public Optional<Interval> wholeDayStarts() {
        if (!hasWholeDays()) {
            return Optional.empty();
        }
        return Optional.of(new Interval(midnight(firstWholeDay().orElseThrow()).toInstant(),
                                        midnight(afterLastWholeDay().orElseThrow()).toInstant()));
    }

    /** The whole quarter hours of the partial days of a closed range, as intervals of quarter starts. */
    public List<Interval> wholeQuarterStarts() {
        var quarters = new ArrayList<Interval>();
        for (var edge : partialDays()) {
            var first = ceilQuarter(edge.from());
            var after = floorQuarter(edge.until());
            if (first.isBefore(after)) {
                quarters.add(new Interval(first, after));
            }
        }
        return quarters;
    }

    /** What of the partial days of a closed range is not in a whole quarter hour: read from the raw calls. */
    public Condition partialQuarters(Field<OffsetDateTime> startedAt) {
        Condition raw = falseCondition();
        for (var edge : partialDays()) {
            var first = ceilQuarter(edge.from());
            var after = floorQuarter(edge.until());
            if (first.isBefore(after)) {
                raw = raw.or(new Interval(edge.from(), first).on(startedAt)).or(new Interval(after, edge.until()).on(startedAt));
            } else {
                raw = raw.or(edge.on(startedAt));
            }
        }
        return raw;
    }

    /** The parts of a closed range outside its whole days (the range itself when no day is whole). */
    private List<Interval> partialDays() {
        var from = start.orElseThrow();
        var until = afterEnd(end.orElseThrow());
        var whole = wholeDayStarts();
        if (whole.isEmpty()) {
            return List.of(new Interval(from, until));
        }
        var parts = new ArrayList<Interval>();
        if (from.isBefore(whole.get().from())) {
            parts.add(new Interval(from, whole.get().from()));
        }
        if (whole.get().until().isBefore(until)) {
            parts.add(new Interval(whole.get().until(), until));
        }
        return parts;
    }

    /** The end is inclusive and calls are stamped to the microsecond: the first instant after it. */
    private static Instant afterEnd(Instant end) {
        return end.plus(1, ChronoUnit.MICROS);
    }

    static Instant floorQuarter(Instant instant) {
        long seconds = instant.getEpochSecond();
        return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, QUARTER_SECONDS));
    }

    static Instant ceilQuarter(Instant instant) {
        var floor = floorQuarter(instant);
        return floor.equals(instant) ? instant : floor.plusSeconds(QUARTER_SECONDS);
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
