package dev.callanalytics.http;

import io.helidon.webserver.http.ServerRequest;

import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads query parameters as the contract says: unknown ones are ignored, an empty value counts
 * as absent, and of a repeated parameter the first value counts.
 */
public final class QueryParams {

    private final ServerRequest request;

    private QueryParams(ServerRequest request) {
        this.request = request;
    }

    public static QueryParams of(ServerRequest request) {
        return new QueryParams(request);
    }

    public Optional<String> get(String name) {
        return request.query().first(name).asOptional().filter(value -> !value.isEmpty());
    }

    /** An integer within {@code min..max}, or the default when absent; 400 otherwise. */
    public int intInRange(String name, int defaultValue, int min, int max) {
        var raw = get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        var range = max == Integer.MAX_VALUE ? "an integer of at least " + min : "an integer from " + min + " to " + max;
        try {
            int value = Integer.parseInt(raw.get().trim());
            if (value < min || value > max) {
                throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw.get()) + "': must be " + range);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid " + name + " '" + Echo.of(raw.get()) + "': must be " + range);
        }
    }

    /** The {@code timezone} parameter (an IANA name, 400 otherwise), or {@code fallback} (the account's) when absent. */
    public ZoneId timezone(ZoneId fallback) {
        return get("timezone").map(Zones::parameter).orElse(fallback);
    }

    /** The optional {@code assistant_id} filter; one that is not a UUID cannot exist (404). */
    public Optional<UUID> assistantId() {
        return get("assistant_id").map(QueryParams::assistantUuid);
    }

    /** An assistant id from a path or parameter: not a UUID means no such assistant (404). */
    public static UUID assistantUuid(String raw) {
        try {
            if (raw.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.assistantNotFound(raw);
        }
    }
}
