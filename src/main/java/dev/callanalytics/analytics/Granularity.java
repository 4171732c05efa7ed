package dev.callanalytics.analytics;

import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Echo;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bucket size of a time series (a {@code date_trunc} unit: ISO weeks start on Monday) and the
 * label each bucket gets (a {@code to_char} pattern on its start). Weeks are labelled with the
 * ISO week-year ({@code IYYY}), which is not the calendar year around New Year. Buckets are taken
 * in a time zone: a day of New York is 23, 24 or 25 hours long. by-time offers day, week and
 * month; the typed query every step.
 */
public enum Granularity {
    HOUR("YYYY-MM-DD\"T\"HH24:00"),
    DAY("YYYY-MM-DD"),
    WEEK("IYYY-\"W\"IW"),
    MONTH("YYYY-MM"),
    QUARTER("YYYY-\"Q\"Q"),
    YEAR("YYYY");

    /** What by-time takes. */
    static final List<Granularity> OF_BY_TIME = List.of(DAY, WEEK, MONTH);

    private final String labelPattern;

    Granularity(String labelPattern) {
        this.labelPattern = labelPattern;
    }

    String labelPattern() {
        return labelPattern;
    }

    /** The name the API accepts and echoes. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The start of the bucket a local time is in. */
    LocalDateTime bucketOf(LocalDateTime time) {
        var day = time.toLocalDate();
        return switch (this) {
            case HOUR -> time.truncatedTo(ChronoUnit.HOURS);
            case DAY -> day.atStartOfDay();
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay();
            case MONTH -> day.withDayOfMonth(1).atStartOfDay();
            case QUARTER -> day.withDayOfMonth(1).withMonth(day.getMonthValue() - (day.getMonthValue() - 1) % 3).atStartOfDay();
            case YEAR -> day.withDayOfYear(1).atStartOfDay();
        };
    }

    /** The start of the next bucket, on the zone's time line (an hour is an hour, a day a calendar day). */
    ZonedDateTime next(ZonedDateTime bucket) {
        return switch (this) {
            case HOUR -> bucket.plusHours(1);
            case DAY -> bucket.toLocalDate().plusDays(1).atStartOfDay(bucket.getZone());
            case WEEK -> bucket.toLocalDate().plusWeeks(1).atStartOfDay(bucket.getZone());
            case MONTH -> bucket.toLocalDate().plusMonths(1).atStartOfDay(bucket.getZone());
            case QUARTER -> bucket.toLocalDate().plusMonths(3).atStartOfDay(bucket.getZone());
            case YEAR -> bucket.toLocalDate().plusYears(1).atStartOfDay(bucket.getZone());
        };
    }

    /**
     * A bucket the range touches: its start on the zone's clocks, and the instant it starts (a
     * day's first instant: 01:00 where daylight saving skips midnight).
     */
    public record Bucket(LocalDateTime localStart, Instant start) {
    }

    List<Bucket> buckets(Instant from, Instant to, ZoneId zone) {
        var buckets = new ArrayList<Bucket>();
        var first = bucketOf(LocalDateTime.ofInstant(from, zone));
        var bucket = this == HOUR ? first.atZone(zone) : first.toLocalDate().atStartOfDay(zone);
        for (; !bucket.toInstant().isAfter(to); bucket = next(bucket)) {
            buckets.add(new Bucket(bucket.toLocalDateTime(), bucket.toInstant()));
        }
        return buckets;
    }

    /** The label of the bucket that begins at {@code start}, as to_char writes it with {@link #labelPattern()}. */
    String label(LocalDateTime start) {
        return switch (this) {
            case HOUR -> "%04d-%02d-%02dT%02d:00".formatted(start.getYear(), start.getMonthValue(), start.getDayOfMonth(), start.getHour());
            case DAY -> "%04d-%02d-%02d".formatted(start.getYear(), start.getMonthValue(), start.getDayOfMonth());
            case WEEK -> "%04d-W%02d".formatted(start.get(IsoFields.WEEK_BASED_YEAR), start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> "%04d-%02d".formatted(start.getYear(), start.getMonthValue());
            case QUARTER -> "%04d-Q%d".formatted(start.getYear(), (start.getMonthValue() + 2) / 3);
            case YEAR -> "%04d".formatted(start.getYear());
        };
    }

    /** by-time's granularity: day, week or month. */
    static Granularity parse(String raw) {
        for (var granularity : OF_BY_TIME) {
            if (granularity.label().equals(raw)) {
                return granularity;
            }
        }
        throw ApiException.badRequest("Invalid granularity '" + Echo.of(raw) + "': use day, week or month");
    }
}
