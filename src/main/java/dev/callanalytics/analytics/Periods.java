package dev.callanalytics.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The dashboard's periods, in a time zone (UTC unless asked otherwise): the starts of the
 * current day, ISO week (Monday 00:00) and month. Calls count in a period from its start up to
 * now: a call stamped in the future has not started yet. A day whose midnight daylight saving
 * skips starts at its first instant.
 */
public record Periods(Instant now, Instant dayStart, Instant weekStart, Instant monthStart) {

    public static Periods at(Instant now) {
        return at(now, ZoneOffset.UTC);
    }

    public static Periods at(Instant now, ZoneId zone) {
        var today = now.atZone(zone).toLocalDate();
        return new Periods(now,
                           today.atStartOfDay(zone).toInstant(),
                           today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant(),
                           today.withDayOfMonth(1).atStartOfDay(zone).toInstant());
    }
}
