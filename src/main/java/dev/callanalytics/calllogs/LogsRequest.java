package dev.callanalytics.calllogs;

import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.DateRange.DateFilter;
import dev.callanalytics.http.QueryParams;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/** A validated call-logs request: which assistant, which calls, in which order, which page. */
record LogsRequest(UUID assistantId, DateFilter dates, SortKey sortBy, boolean descending, int page, int limit) {

    static final int MAX_LIMIT = 100;

    /** The fields a client may sort by, as the API names them. */
    enum SortKey {
        STARTED_AT, ENDED_AT, CALL_DURATION_MINUTES, CALL_COST;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param zone the zone bare dates are days of (the timezone parameter's, else the account's) */
    static LogsRequest parse(UUID assistantId, QueryParams params, ZoneId zone) {
        var page = params.intInRange("page", 1, 1, Integer.MAX_VALUE);
        var limit = params.intInRange("limit", 10, 1, MAX_LIMIT);
        var sortBy = params.get("sort_by").map(LogsRequest::sortKey).orElse(SortKey.STARTED_AT);
        var descending = params.get("sort_order").map(LogsRequest::descending).orElse(true);
        return new LogsRequest(assistantId, DateFilter.of(params, zone), sortBy, descending, page, limit);
    }

    long offset() {
        return (long) (page - 1) * limit;
    }

    private static SortKey sortKey(String raw) {
        return Arrays.stream(SortKey.values())
                     .filter(key -> key.label().equals(raw))
                     .findFirst()
                     .orElseThrow(() -> ApiException.badRequest("Invalid sort_by '" + Echo.of(raw) + "': use one of "
                             + Arrays.stream(SortKey.values()).map(SortKey::label).collect(Collectors.joining(", "))));
    }

    private static boolean descending(String raw) {
        return switch (raw) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw ApiException.badRequest("Invalid sort_order '" + Echo.of(raw) + "': use asc or desc");
        };
    }
}
