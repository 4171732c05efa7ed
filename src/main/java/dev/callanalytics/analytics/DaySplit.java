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
import java.util.Comparator;
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
 * 00:00, which is raw 10:07 .. 10:15 and quarters 10:15 .. 00:00.
 *
 * <p>Time buckets of another zone than UTC begin inside UTC days: their starts are {@code cuts},
 * and a UTC day with a cut inside is partial too, so that every row read lies in one bucket.
 * Either end may be open (call logs, which have no cuts): then every day on that side is whole.
 */
public record DaySplit(Optional<Instant> start, Optional<Instant> end, List<Instant> cuts) {

    private static final long QUARTER_SECONDS = 15 * 60;

    public DaySplit {
        cuts = List.copyOf(cuts);
    }

    public DaySplit(Optional<Instant> start, Optional<Instant> end) {
        this(start, end, List.of());
    }

    public static DaySplit of(DateRange range) {
        return new DaySplit(Optional.of(range.startDate()), Optional.of(range.endDate()));
    }

    /** The same range, with no piece across any of {@code boundaries} (the starts of time buckets). */
    public DaySplit cutAt(List<Instant> boundaries) {
        return new DaySplit(start, end, boundaries);
    }

    /** An interval of time, its end excluded. */
    public record Interval(Instant from, Instant until) {

        Condition on(Field<OffsetDateTime> instant) {
            return instant.ge(utc(from)).and(instant.lt(utc(until)));
        }
    }

    /** What each source answers of a closed range: whole days, whole quarter hours of the rest, and the raw remainders. */
    private record Layout(List<Interval> days, List<Interval> quarters, List<Interval> rawBesideQuarters, List<Interval> rawBesideDays) {
    }

    private boolean closed() {
        return start.isPresent() && end.isPresent();
    }

    private Layout layout() {
        var from = start.orElseThrow();
        var until = afterEnd(end.orElseThrow());
        var bounds = new ArrayList<Instant>();
        bounds.add(from);
        cuts.stream().filter(cut -> cut.isAfter(from) && cut.isBefore(until)).sorted().distinct().forEach(bounds::add);
        bounds.add(until);
        var days = new ArrayList<Interval>();
        var partial = new ArrayList<Interval>();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            var a = bounds.get(i);
            var b = bounds.get(i + 1);
            var firstMidnight = ceilDay(a);
            var lastMidnight = b.truncatedTo(ChronoUnit.DAYS);
            if (firstMidnight.isBefore(lastMidnight)) {
                days.add(new Interval(firstMidnight, lastMidnight));
                addIfNotEmpty(partial, a, firstMidnight);
                addIfNotEmpty(partial, lastMidnight, b);
            } else {
                partial.add(new Interval(a, b));
            }
        }
        var quarters = new ArrayList<Interval>();
        var raw = new ArrayList<Interval>();
        for (var piece : partial) {
            var first = ceilQuarter(piece.from());
            var after = floorQuarter(piece.until());
            if (first.isBefore(after)) {
                quarters.add(new Interval(first, after));
                addIfNotEmpty(raw, piece.from(), first);
                addIfNotEmpty(raw, after, piece.until());
            } else {
                raw.add(piece);
            }
        }
        return new Layout(merged(days), merged(quarters), merged(raw), merged(partial));
    }

    /** The rollup days inside the range (with no cut inside them). */
    public Condition wholeDays(Field<LocalDate> day) {
        if (closed()) {
            Condition any = falseCondition();
            for (var run : layout().days()) {
                any = any.or(day.ge(utcDay(run.from())).and(day.lt(utcDay(run.until()))));
            }
            return any;
        }
        if (!hasWholeDays()) {
            return falseCondition();
        }
        return firstWholeDay().map(day::ge).orElse(noCondition())
                              .and(afterLastWholeDay().map(day::lt).orElse(noCondition()));
    }

    /** The raw calls of the partial days at the edges (or of the whole range, if no day is whole). */
    public Condition edges(Field<OffsetDateTime> startedAt) {
        if (closed()) {
            return anyOf(layout().rawBesideDays(), startedAt);
        }
        var before = start.map(s -> startedAt.ge(utc(s)).and(startedAt.lt(midnight(firstWholeDay().orElseThrow()))));
        var after = end.map(e -> startedAt.ge(midnight(afterLastWholeDay().orElseThrow())).and(startedAt.le(utc(e))));
        return before.orElse(falseCondition()).or(after.orElse(falseCondition()));
    }

    /** Every call of the range. */
    public Condition everything(Field<OffsetDateTime> startedAt) {
        return start.map(s -> startedAt.ge(utc(s))).orElse(noCondition())
                    .and(end.map(e -> startedAt.le(utc(e))).orElse(noCondition()));
    }

    /** The whole days inside a closed range, as intervals of day starts. */
    public List<Interval> wholeDayStarts() {
        return layout().days();
    }

    /** The whole quarter hours of the partial days of a closed range, as intervals of quarter starts. */
    public List<Interval> wholeQuarterStarts() {
        return layout().quarters();
    }

    /** What of the partial days of a closed range is not in a whole quarter hour: read from the raw calls. */
    public Condition partialQuarters(Field<OffsetDateTime> startedAt) {
        return anyOf(layout().rawBesideQuarters(), startedAt);
    }

    private static Condition anyOf(List<Interval> intervals, Field<OffsetDateTime> instant) {
        Condition any = falseCondition();
        for (var interval : intervals) {
            any = any.or(interval.on(instant));
        }
        return any;
    }

    private static void addIfNotEmpty(List<Interval> intervals, Instant from, Instant until) {
        if (from.isBefore(until)) {
            intervals.add(new Interval(from, until));
        }
    }

    /** The intervals in order, those that touch joined: a year of quarter hours in Kolkata is one interval, not 365. */
    private static List<Interval> merged(List<Interval> intervals) {
        var sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(Interval::from));
        var merged = new ArrayList<Interval>();
        for (var interval : sorted) {
            if (!merged.isEmpty() && !merged.getLast().until().isBefore(interval.from())) {
                var last = merged.removeLast();
                merged.add(new Interval(last.from(), interval.until().isAfter(last.until()) ? interval.until() : last.until()));
            } else {
                merged.add(interval);
            }
        }
        return merged;
    }

    // Open ranges (call logs): whole days up to an open end.

    /** The first day that starts at or after the start. */
    private Optional<LocalDate> firstWholeDay() {
        return start.map(s -> utcDay(ceilDay(s)));
    }

    /** The day after the last whole one: the end is inclusive, so a day is whole when the instant just after the end starts a later day. */
    private Optional<LocalDate> afterLastWholeDay() {
        return end.map(e -> utcDay(afterEnd(e).truncatedTo(ChronoUnit.DAYS)));
    }

    private boolean hasWholeDays() {
        var first = firstWholeDay();
        var after = afterLastWholeDay();
        return first.isEmpty() || after.isEmpty() || first.get().isBefore(after.get());
    }

    /** The end is inclusive and calls are stamped to the microsecond: the first instant after it. */
    private static Instant afterEnd(Instant end) {
        return end.plus(1, ChronoUnit.MICROS);
    }

    private static Instant ceilDay(Instant instant) {
        var midnight = instant.truncatedTo(ChronoUnit.DAYS);
        return midnight.equals(instant) ? midnight : midnight.plus(1, ChronoUnit.DAYS);
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

    private static LocalDate utcDay(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
