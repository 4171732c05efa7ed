package dev.callanalytics.http;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/**
 * Time zones as the API takes them: IANA names (Asia/Kolkata, America/New_York, UTC), which
 * carry their daylight-saving rules; a bare offset such as +05:30 has none, so it is refused.
 */
public final class Zones {

    public static final ZoneId UTC = ZoneId.of("UTC");
    private static final Set<String> NAMES = ZoneId.getAvailableZoneIds();

    private Zones() {
    }

    /** The zone of an IANA name; empty when there is no such zone. */
    public static Optional<ZoneId> named(String name) {
        var trimmed = name.trim();
        return NAMES.contains(trimmed) ? Optional.of(ZoneId.of(trimmed)) : Optional.empty();
    }

    /** The {@code timezone} parameter's zone; 400 naming it when it is not an IANA name. */
    public static ZoneId parameter(String raw) {
        return named(raw).orElseThrow(() -> ApiException.badRequest(
                "Invalid timezone '" + Echo.of(raw) + "': use an IANA time zone name, such as UTC, Asia/Kolkata or America/New_York"));
    }

    /** Whether the zone is UTC all year round (UTC, Etc/UTC, GMT, ...): its answers are the documented UTC ones. */
    public static boolean isUtc(ZoneId zone) {
        return zone.getRules().isFixedOffset() && zone.getRules().getOffset(Instant.EPOCH).equals(ZoneOffset.UTC);
    }
}
