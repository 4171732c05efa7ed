package dev.callanalytics.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The dashboard's periods, relative to UTC: the starts of the current day, ISO week (Monday
 * 00:00) and month. Calls count in a period from its start up to now: a call stamped in the
 * future has not started yet.
 */
record Periods(Instant now, Instant dayStart, Instant weekStart, Instant monthStart) {

    static Periods at(Instant now) {
        var today = now.atZone(ZoneOffset.UTC).toLocalDate();
        return new Periods(now,
                           today.atStartOfDay(ZoneOffset.UTC).toInstant(),
                           today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant(),
                           today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
