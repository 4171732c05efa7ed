package dev.callanalytics.analytics;

import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Echo;

import java.util.Locale;

/**
 * The bucket size of by-time (a {@code date_trunc} unit: ISO weeks start on Monday) and the label
 * each bucket gets (a {@code to_char} pattern on its start). Weeks are labelled with the ISO
 * week-year ({@code IYYY}), which is not the calendar year around New Year.
 */
public enum Granularity {
    DAY("YYYY-MM-DD"),
    WEEK("IYYY-\"W\"IW"),
    MONTH("YYYY-MM");

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

    static Granularity parse(String raw) {
        for (var granularity : values()) {
            if (granularity.label().equals(raw)) {
                return granularity;
            }
        }
        throw ApiException.badRequest("Invalid granularity '" + Echo.of(raw) + "': use day, week or month");
    }
}
