package dev.callanalytics.http;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The calls a request is about: those whose {@code started_at} is within {@code start_date ..
 * end_date}, both ends included. Serialized as the dashboard's {@code date_range}.
 */
public record DateRange(Instant startDate, Instant endDate) {

    /** The analytics default: the 30 days up to the end of the range. */
    public static final Duration DEFAULT_LENGTH = Duration.ofDays(30);

    /** PostgreSQL keeps microseconds: the last instant of a day is one microsecond before the next. */
    private static final Duration RESOLUTION = Duration.of(1, ChronoUnit.MICROS);

    /** An offset whose '+' arrived as a space because it was not URL-encoded. */
    private static final Pattern UNENCODED_PLUS = Pattern.compile("^(.*T[0-9:.,]+) ([0-9]{2}(:?[0-9]{2})?)$");

    /**
     * The range of the analytics endpoints: {@code end_date} defaults to now, {@code start_date}
     * to 30 days before the end. Bare dates are days of UTC.
     */
    public static DateRange forAnalytics(QueryParams params, Instant now) {
        return forAnalytics(params, now, Zones.UTC);
    }

    /** The same, bare dates (and date-times without an offset) read in {@code zone}. */
    public static DateRange forAnalytics(QueryParams params, Instant now, ZoneId zone) {
        return forAnalytics(params.get("start_date"), params.get("end_date"), now, zone);
    }

    /** The same from the two values as given (a body's, say), each optional. */
    public static DateRange forAnalytics(Optional<String> startDate, Optional<String> endDate, Instant now, ZoneId zone) {
        var filter = DateFilter.of(startDate, endDate, zone);
        var end = filter.end().orElse(now);
        var start = filter.start().orElse(latest(end.minus(DEFAULT_LENGTH), Instants.EARLIEST));
        if (start.isAfter(end)) {
            throw ApiException.badRequest("start_date (" + Json.format(start) + ") is after end_date ("
                                          + Json.format(end) + ")");
        }
        return new DateRange(start, end);
    }

    /** {@code start_date} and {@code end_date} as given, each optional (call logs have no default). */
    public record DateFilter(Optional<Instant> start, Optional<Instant> end) {

        public static DateFilter of(QueryParams params) {
            return of(params, Zones.UTC);
        }

        /** Bare dates (and date-times without an offset) read in {@code zone}. */
        public static DateFilter of(QueryParams params, ZoneId zone) {
            return of(params.get("start_date"), params.get("end_date"), zone);
        }

        static DateFilter of(Optional<String> startDate, Optional<String> endDate, ZoneId zone) {
            var start = startDate.map(raw -> parse("start_date", raw, false, zone));
            var end = endDate.map(raw -> parse("end_date", raw, true, zone));
            if (start.isPresent() && end.isPresent() && start.get().isAfter(end.get())) {
                throw ApiException.badRequest("start_date (" + Json.format(start.get()) + ") is after end_date ("
                                              + Json.format(end.get()) + ")");
            }
            return new DateFilter(start, end);
        }
    }

    /**
     * An ISO 8601 instant, date-time (read in {@code zone}, UTC unless a time zone is asked for)
     * or bare date. A bare date is the start of that day in the zone (its first instant, 01:00
     * where daylight saving skips midnight), or, for the end of a range, the last instant before
     * the next day's start, so that the whole day is included (23 or 25 hours on the days the
     * clocks change). Calls are stamped to the microsecond, so finer digits are rounded inward:
     * an end of 23:59:59.9999999 means 23:59:59.999999, never the next day's first call.
     */
    static Instant parse(String name, String raw, boolean endOfRange, ZoneId zone) {
        var text = raw.trim();
        var unencoded = UNENCODED_PLUS.matcher(text);
        if (unencoded.matches()) {
            text = unencoded.group(1) + "+" + unencoded.group(2);
        }
        Instant instant;
        try {
            if (!text.contains("T") && !text.contains("t")) {
                var day = LocalDate.parse(text);
                instant = endOfRange ? day.plusDays(1).atStartOfDay(zone).toInstant().minus(RESOLUTION) : day.atStartOfDay(zone).toInstant();
            } else {
                instant = Instants.parse(text, zone);
            }
        } catch (DateTimeException e) {
            throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw) + "': use ISO 8601, such as 2026-03-01, "
                                          + "2026-03-01T00:00:00Z or 2026-03-01T05:30:00+05:30");
        }
        var rounded = endOfRange ? Instants.floorMicros(instant) : Instants.ceilMicros(instant);
        if (!Instants.inRange(rounded)) {
            throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw) + "': dates must be within " + Instants.RANGE);
        }
        return rounded;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
