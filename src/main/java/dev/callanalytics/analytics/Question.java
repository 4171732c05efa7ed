package dev.callanalytics.analytics;

import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.http.Zones;
import io.helidon.webserver.http.ServerRequest;

import java.time.Instant;
import java.time.ZoneId;

/**
 * What every analytics request asks, parsed once: its parameters, the time zone its days are
 * taken in (the {@code timezone} parameter, else the account's, UTC unless set), and the range
 * it covers (bare dates are days of that zone).
 */
public record Question(QueryParams params, ZoneId zone, DateRange range, Instant now) {

    public static Question of(ServerRequest req, Caller caller, Instant now) {
        var params = QueryParams.of(req);
        var zone = params.timezone(caller.timezone());
        return new Question(params, zone, DateRange.forAnalytics(params, now, zone), now);
    }

    /** The zone's name for an answer, or null (left out) for UTC, so that UTC answers stay as documented. */
    public String zoneLabel() {
        return Zones.isUtc(zone) ? null : zone.getId();
    }
}
