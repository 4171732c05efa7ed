package dev.callanalytics.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * ISO 8601 date-times as clients send them: with {@code Z} or an offset ({@code +05:30},
 * {@code +0530}, {@code +05}), with or without fractional seconds, or without an offset (UTC).
 */
public final class Instants {

    private static final Pattern OFFSET = Pattern.compile("(Z|[+-][0-9]{2}(:?[0-9]{2})?)$");
    private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-])([0-9]{2})([0-9]{2})?$");

    private Instants() {
    }

    /** @throws DateTimeParseException when {@code text} is not such a date-time */
    public static Instant parse(String text) {
        var upper = text.trim().toUpperCase();
        if (!upper.contains("T")) {
            throw new DateTimeParseException("no time", text, 0);
        }
        if (OFFSET.matcher(upper).find()) {
            return OffsetDateTime.parse(normalizeOffset(upper)).toInstant();
        }
        return LocalDateTime.parse(upper).toInstant(ZoneOffset.UTC);
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
