package dev.callanalytics.search;

import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.DateRange.DateFilter;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.ingest.IncomingCall;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which of an account's calls a search or an export selects, as the query parameters name it
 * (after the call record's fields, and the analytics' {@code start_date}/{@code end_date}).
 * Every filter is optional; each one given narrows the selection; a value that cannot be meant
 * is a 400 naming the parameter.
 *
 * @param statuses call_status: any of these (comma-separated in the parameter)
 * @param types    call_type: any of these; {@code unknown} is a call without one (as by-type counts it)
 * @param service  call_service as by-service labels it: trimmed, {@code unknown} for none
 * @param words    q: what was said, in PostgreSQL's web search syntax (see V9__call_search.sql)
 */
record CallFilter(Optional<UUID> assistantId,
                  List<String> statuses,
                  List<String> types,
                  Optional<String> service,
                  Optional<String> platformNumber,
                  Optional<String> phoneBucket,
                  Optional<Integer> sipStatusCode,
                  DateFilter dates,
                  Bounds minutes,
                  Bounds cost,
                  Optional<String> words) {

    /** The longest text a filter takes: longer cannot match a stored value, or is not a search. */
    static final int MAX_TEXT = 200;
    static final List<String> TYPES = List.of("outbound", "inbound", "web", "unknown");

    /** An inclusive range of a decimal field; either end optional. */
    record Bounds(Optional<BigDecimal> min, Optional<BigDecimal> max) {
    }

    /** @param zone the zone bare dates are days of (the timezone parameter's, else the account's) */
    static CallFilter parse(QueryParams params, ZoneId zone) {
        var minutes = bounds(params, "call_duration_minutes", "minutes");
        var cost = bounds(params, "call_cost", "cost");
        return new CallFilter(params.get("assistant_id").map(CallFilter::uuid),
                              oneOf(params, "call_status", IncomingCall.STATUSES),
                              oneOf(params, "call_type", TYPES),
                              text(params, "call_service"),
                              text(params, "platform_number"),
                              text(params, "phone_bucket"),
                              sipStatusCode(params),
                              DateFilter.of(params, zone),
                              minutes,
                              cost,
                              words(params));
    }

    /**
     * What the filter is, whatever order its parameters came in: a cursor carries a digest of
     * it, so that a cursor is never read against another search, which would skip or repeat.
     */
    String canonical() {
        return String.join("\u0001", List.of(String.valueOf(assistantId.orElse(null)), String.join(",", statuses),
                                             String.join(",", types), service.orElse(""), platformNumber.orElse(""),
                                             phoneBucket.orElse(""), String.valueOf(sipStatusCode.orElse(null)),
                                             String.valueOf(dates.start().orElse(null)), String.valueOf(dates.end().orElse(null)),
                                             String.valueOf(minutes.min().orElse(null)), String.valueOf(minutes.max().orElse(null)),
                                             String.valueOf(cost.min().orElse(null)), String.valueOf(cost.max().orElse(null)),
                                             words.orElse("")));
    }

    private static UUID uuid(String raw) {
        try {
            if (raw.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid assistant_id '" + Echo.of(raw) + "': must be a UUID");
        }
    }

    private static List<String> oneOf(QueryParams params, String name, List<String> allowed) {
        var raw = params.get(name);
        if (raw.isEmpty()) {
            return List.of();
        }
        var values = new ArrayList<String>();
        for (var part : raw.get().split(",", -1)) {
            var value = part.trim();
            if (!allowed.contains(value)) {
                throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(value) + "': use one or more of "
                                              + String.join(", ", allowed) + ", separated by commas");
            }
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        return List.copyOf(values.stream().sorted().toList());
    }

    private static Optional<String> text(QueryParams params, String name) {
        return params.get(name).map(raw -> {
            var value = raw.trim();
            if (value.isEmpty()) {
                throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw) + "': must not be blank");
            }
            return storable(name, raw, value);
        });
    }

    /** Text PostgreSQL can compare: not too long, no NUL, no lone surrogate. */
    private static String storable(String name, String raw, String value) {
        if (value.length() > MAX_TEXT) {
            throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw) + "': must be at most " + MAX_TEXT + " characters");
        }
        if (Echo.firstUnstorable(value) >= 0) {
            throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw) + "': must not contain NUL or a lone UTF-16 surrogate");
        }
        return value;
    }

    private static Optional<Integer> sipStatusCode(QueryParams params) {
        return params.get("sip_status_code").map(raw -> {
            try {
                int code = Integer.parseInt(raw.trim());
                if (code >= 100 && code <= 699) {
                    return code;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ApiException.badRequest("Invalid sip_status_code '" + Echo.of(raw) + "': must be an integer from 100 to 699");
        });
    }

    /**
     * {@code min_<field>} and {@code max_<field>}, or the typed query's shorter
     * {@code min_<short>}/{@code max_<short>} (min_minutes, max_cost).
     */
    private static Bounds bounds(QueryParams params, String field, String shortName) {
        var min = decimal(params, "min_" + field).or(() -> decimal(params, "min_" + shortName));
        var max = decimal(params, "max_" + field).or(() -> decimal(params, "max_" + shortName));
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
            throw ApiException.badRequest("min_" + field + " (" + min.get().toPlainString() + ") is above max_" + field + " ("
                                          + max.get().toPlainString() + ")");
        }
        return new Bounds(min, max);
    }

    private static Optional<BigDecimal> decimal(QueryParams params, String name) {
        return params.get(name).map(raw -> {
            try {
                var value = new BigDecimal(raw.trim());
                if (value.signum() >= 0 && value.precision() - value.scale() <= 12 && value.scale() <= 20) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw) + "': must be a number of at least 0, below 1e12,"
                                          + " with at most 20 decimals");
        });
    }

    /** q: some words to look for; text without a letter or digit finds nothing and is refused. */
    private static Optional<String> words(QueryParams params) {
        return params.get("q").map(raw -> {
            var value = storable("q", raw, raw.strip());
            if (value.codePoints().noneMatch(Character::isLetterOrDigit)) {
                throw ApiException.badRequest("Invalid q '" + Echo.of(raw) + "': give at least one word to search the transcripts for");
            }
            return value;
        });
    }
}
