package dev.callanalytics.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * ISO 8601 date-times as clients send them: with {@code Z} or an offset ({@code +05:30},
 * {@code +0530}, {@code +05}), with or without fractional seconds, or without an offset (UTC).
 */
public final class Instants {

    /**
     * The instants the API takes and stores: years 1 to 9999 (UTC), to the microsecond, which is
     * what PostgreSQL's timestamptz and ISO 8601's four-digit years have in common.
     */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    public static final String RANGE = "years 0001 to 9999 (UTC)";

    private static final Pattern OFFSET = Pattern.compile("(Z|[+-][0-9]{2}(:?[0-9]{2})?)$");
    private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-])([0-9]{2})([0-9]{2})?$");

    private Instants() {
    }

    public static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** The instant cut to the microsecond PostgreSQL keeps: digits past the sixth are dropped. */
    public static Instant floorMicros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The first microsecond at or after the instant. */
    public static Instant ceilMicros(Instant instant) {
        var floor = floorMicros(instant);
        return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.MICROS);
    }

    /** @throws DateTimeParseException when {@code text} is not such a date-time; one without an offset is UTC */
    public static Instant parse(String text) {
        return parse(text, ZoneOffset.UTC);
    }

    /** @throws DateTimeParseException when {@code text} is not such a date-time; one without an offset is in {@code zone} */
    public static Instant parse(String text, ZoneId zone) {
        var canonical = parseCanonical(text);
        if (canonical != null) {
            return canonical;
        }
        var upper = text.trim().toUpperCase();
        if (!upper.contains("T")) {
            throw new DateTimeParseException("no time", text, 0);
        }
        if (OFFSET.matcher(upper).find()) {
            return OffsetDateTime.parse(normalizeOffset(upper)).toInstant();
        }
        return LocalDateTime.parse(upper).atZone(zone).toInstant();
    }

    /**
     * The form nearly every report uses, {@code 2026-03-10T09:00:00[.fraction](Z|+hh:mm)}, read
     * by position: java.time's formatters cost microseconds a call, and an import reads six
     * timestamps a call. Null when the text has another form (the general parser takes it).
     */
    private static Instant parseCanonical(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
            || s.charAt(16) != ':') {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int digits = 0;
            for (i++; i < n && Character.isDigit(s.charAt(i)); i++, digits++) {
                if (digits < 9) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                }
            }
            if (digits == 0) {
                return null;
            }
            for (int d = Math.min(digits, 9); d < 9; d++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, 2);
            int minutes = digits(s, i + 4, 2);
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                                .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            throw new DateTimeParseException(e.getMessage(), s, 0);
        }
    }

    /** The number written by {@code count} digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** {@code +0530} and {@code +05} as {@code +05:30} and {@code +05:00}, which java.time expects. */
    private static String normalizeOffset(String text) {
        var compact = COMPACT_OFFSET.matcher(text);
        if (!text.endsWith("Z") && compact.find()) {
            var minutes = compact.group(3) == null ? "00" : compact.group(3);
            return text.substring(0, compact.start()) + compact.group(1) + compact.group(2) + ":" + minutes;
        }
        return text;
    }
}
