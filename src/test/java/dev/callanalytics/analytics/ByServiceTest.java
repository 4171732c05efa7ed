package dev.callanalytics.analytics;

import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /analytics/calls/by-service}: calls and minutes per telephony service, as the
 * platform documents it, read from the rollups for whole days and the raw calls at the edges.
 */
class ByServiceTest {

    static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void oneRowPerServiceBusiestFirstTiesByNameAndCallsWithoutAServiceAreUnknown() {
        var account = api.newAccount("services");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-10T09:00:00Z"), "10", c -> c.setCallService("exotel"));
        calls.add(assistant, at("2026-03-10T10:00:00Z"), "2.5", c -> c.setCallService(" exotel "));   // trimmed: the same service
        calls.add(assistant, at("2026-03-11T09:00:00Z"), "7.25", c -> c.setCallService("twilio"));
        calls.add(assistant, at("2026-03-11T10:00:00Z"), "5.25", c -> c.setCallService("twilio"));
        calls.add(assistant, at("2026-03-12T09:00:00Z"), "3", c -> c.setCallService(null));
        calls.add(assistant, at("2026-03-12T10:00:00Z"), null, c -> c.setCallService("  "));           // blank: none
        calls.add(assistant, at("2026-03-13T09:00:00Z"), "3", c -> c.setCallService("web"));           // ties unknown: by name

        var response = api.get("/analytics/calls/by-service?start_date=2026-03-01&end_date=2026-03-31", account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Calls by service fetched successfully', 'data': {'services': [
                  {'service': 'exotel', 'total_calls': 2, 'total_duration_minutes': 12.50, 'total_duration_hours': 0.21},
                  {'service': 'twilio', 'total_calls': 2, 'total_duration_minutes': 12.50, 'total_duration_hours': 0.21},
                  {'service': 'unknown', 'total_calls': 2, 'total_duration_minutes': 3.00, 'total_duration_hours': 0.05},
                  {'service': 'web', 'total_calls': 1, 'total_duration_minutes': 3.00, 'total_duration_hours': 0.05}]}}
                """, response.json());
    }

    @Test
    void partialDaysAtTheEdgesCountAsWholeDaysDo() {
        var account = api.newAccount("service edges");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-01T05:59:59Z"), "100", c -> c.setCallService("exotel"));   // before the range
        calls.add(assistant, at("2026-03-01T06:00:00Z"), "1", c -> c.setCallService("exotel"));     // its first instant
        calls.add(assistant, at("2026-03-02T12:00:00Z"), "2", c -> c.setCallService("exotel"));     // a whole day
        calls.add(assistant, at("2026-03-03T18:30:00.123456Z"), "4", c -> c.setCallService("exotel")); // its last instant
        calls.add(assistant, at("2026-03-03T18:30:00.123457Z"), "100", c -> c.setCallService("exotel"));

        var data = api.get("/analytics/calls/by-service?start_date=2026-03-01T06:00:00Z&end_date=2026-03-03T18:30:00.123456Z",
                           account).data();

        assertJson("""
                {'services': [{'service': 'exotel', 'total_calls': 3, 'total_duration_minutes': 7.00, 'total_duration_hours': 0.12}]}
                """, data);
    }

    @Test
    void assistantIdNarrowsToOneOfTheCallersAssistantsAndTheDefaultRangeIsThirtyDays() {
        var account = api.newAccount("service per assistant");
        var other = api.newAccount("service other account");
        var mine = UUID.randomUUID();
        var second = UUID.randomUUID();
        api.calls(account).add(mine, NOW.minusSeconds(3600), "1", c -> c.setCallService("plivo"));
        api.calls(account).add(second, NOW.minusSeconds(3600), "2", c -> c.setCallService("twilio"));
        api.calls(account).add(mine, at("2026-02-01T00:00:00Z"), "5", c -> c.setCallService("plivo"));   // before the 30 days
        var theirs = UUID.randomUUID();
        api.calls(other).add(theirs, NOW.minusSeconds(60), "9", c -> c.setCallService("plivo"));

        assertJson("""
                {'services': [{'service': 'plivo', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02}]}
                """, api.get("/analytics/calls/by-service?assistant_id=" + mine, account).data());
        assertJson("""
                {'services': [{'service': 'twilio', 'total_calls': 1, 'total_duration_minutes': 2, 'total_duration_hours': 0.03},
                              {'service': 'plivo', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02}]}
                """, api.get("/analytics/calls/by-service", account).data());
        for (var assistant : new String[]{theirs.toString(), "not-a-uuid"}) {
            var response = api.get("/analytics/calls/by-service?assistant_id=" + assistant, account);
            assertEquals(404, response.status());
            assertEquals("Assistant not found: " + assistant, response.message());
        }
        assertJson("{'services': []}", api.get("/analytics/calls/by-service?start_date=2020-01-01&end_date=2020-01-31", account).data());
    }

    @Test
    void theDocumentedErrorsHoldHereToo() {
        var account = api.newAccount("service errors");
        assertEquals(401, api.get("/analytics/calls/by-service", (String) null).status());
        assertEquals(403, api.get("/analytics/calls/by-service", account.ingestKey()).status());
        var reversed = api.get("/analytics/calls/by-service?start_date=2026-03-02&end_date=2026-03-01", account);
        assertEquals(400, reversed.status());
        assertEquals("start_date (2026-03-02T00:00:00.000Z) is after end_date (2026-03-01T23:59:59.999Z)", reversed.message());
        var wrongMethod = api.send("POST", "/analytics/calls/by-service", account.readKey(), "{}");
        assertEquals(405, wrongMethod.status());
        assertEquals("GET, HEAD", wrongMethod.headers().firstValue("Allow").orElse(null));
    }
}
