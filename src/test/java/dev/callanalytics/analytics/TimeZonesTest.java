package dev.callanalytics.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytics in a time zone: days, ISO weeks and months, bare dates and the dashboard's
 * periods taken on the zone's clocks, for offsets of half and quarter hours and across daylight
 * saving changes (days of 23 and 25 hours are one bucket each); the account's default zone; and
 * the documented UTC answers unchanged without one.
 */
class TimeZonesTest {

    /** A Wednesday, 2026-03-11 12:00 UTC: 17:30 in Kolkata, 08:00 in New York (daylight time since 03-08). */
    static final Instant NOW = Instant.parse("2026-03-11T12:00:00Z");

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    /** The by-time day labels and counts of an answer, as "label calls". */
    static List<String> days(JsonNode data) {
        var days = new ArrayList<String>();
        data.get("time_series").forEach(bucket -> days.add(bucket.get("date").asText() + " " + bucket.get("total_calls").asInt()));
        return days;
    }

    static JsonNode byTime(Account account, String query) {
        var response = api.get("/analytics/calls/by-time?" + query, account);
        assertEquals(200, response.status(), response.body());
        return response.data();
    }

    /** Calls one microsecond either side of each instant: the last of one local day and the first of the next. */
    static void around(Account account, String... instants) {
        var assistant = UUID.randomUUID();
        for (var instant : instants) {
            api.calls(account).add(assistant, at(instant).minusNanos(1000), "1");
            api.calls(account).add(assistant, at(instant), "2");
        }
    }

    @Test
    void halfAndQuarterHourOffsetsMoveTheDayBoundaries() {
        var india = api.newAccount("kolkata");
        around(india, "2026-03-09T18:30:00Z");   // midnight of 03-10 in Kolkata (+05:30)
        assertEquals(List.of("2026-03-09 1", "2026-03-10 1"),
                     days(byTime(india, "start_date=2026-03-01&end_date=2026-03-20&timezone=Asia/Kolkata")));
        assertEquals(List.of("2026-03-09 2"), days(byTime(india, "start_date=2026-03-01&end_date=2026-03-20")));

        var nepal = api.newAccount("kathmandu");
        around(nepal, "2026-03-09T18:15:00Z");   // midnight of 03-10 in Kathmandu (+05:45)
        assertEquals(List.of("2026-03-09 1", "2026-03-10 1"),
                     days(byTime(nepal, "start_date=2026-03-01&end_date=2026-03-20&timezone=Asia/Kathmandu")));
        // bare dates are days of the zone: 03-10 in Kathmandu is 03-09 18:15 .. 03-10 18:15 UTC
        var one = api.get("/analytics/dashboard?start_date=2026-03-10&end_date=2026-03-10&timezone=Asia/Kathmandu", nepal).data();
        assertEquals(1, one.get("total_calls").asInt());
        assertEquals(2, one.get("total_duration_minutes").asInt());
        assertEquals("2026-03-09T18:15:00.000Z", one.get("date_range").get("start_date").asText());
        assertEquals("2026-03-10T18:14:59.999Z", one.get("date_range").get("end_date").asText());
        assertEquals("Asia/Kathmandu", one.get("timezone").asText());
    }

    @Test
    void daylightSavingDaysAre23Or25HoursAndOneBucketEach() {
        var newYork = api.newAccount("new york");
        // 2026-03-08 in New York: 00:00 EST (05:00Z) to 00:00 EDT (04:00Z the next day), 23 hours
        around(newYork, "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z");
        var ny = api.newAccount("new york, one day");
        var assistant = UUID.randomUUID();
        for (var instant : List.of("2026-03-08T05:00:00Z", "2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-03-09T03:59:59.999999Z")) {
            api.calls(ny).add(assistant, at(instant), "1");   // the first and last instants of the day, and across 02:00 -> 03:00
        }
        assertEquals(List.of("2026-03-07 1", "2026-03-08 2", "2026-03-09 1"),
                     days(byTime(newYork, "start_date=2026-03-01&end_date=2026-03-20&timezone=America/New_York")));
        var day = api.get("/analytics/dashboard?start_date=2026-03-08&end_date=2026-03-08&timezone=America/New_York", ny).data();
        assertEquals(4, day.get("total_calls").asInt());
        assertEquals("2026-03-08T05:00:00.000Z", day.get("date_range").get("start_date").asText());
        assertEquals("2026-03-09T03:59:59.999Z", day.get("date_range").get("end_date").asText());

        var berlin = api.newAccount("berlin");
        // 2026-10-25 in Berlin: 00:00 CEST (10-24 22:00Z) to 00:00 CET (10-25 23:00Z), 25 hours
        around(berlin, "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z");
        assertEquals(List.of("2026-10-24 1", "2026-10-25 2", "2026-10-26 1"),
                     days(byTime(berlin, "start_date=2026-10-20&end_date=2026-10-31&timezone=Europe/Berlin")));

        var adelaide = api.newAccount("adelaide");
        // 2026-04-05 in Adelaide: 00:00 ACDT (+10:30, 04-04 13:30Z) to 00:00 ACST (+09:30, 04-05 14:30Z): 25 hours at a half-hour offset
        around(adelaide, "2026-04-04T13:30:00Z", "2026-04-05T14:30:00Z");
        assertEquals(List.of("2026-04-04 1", "2026-04-05 2", "2026-04-06 1"),
                     days(byTime(adelaide, "start_date=2026-04-01&end_date=2026-04-10&timezone=Australia/Adelaide")));
    }

    @Test
    void weeksAndMonthsAreTakenOnTheZonesClocks() {
        var account = api.newAccount("weeks and months");
        // Monday 2026-03-02 00:00 and Wednesday April 1st 00:00 in Kolkata, each with the instant before it
        around(account, "2026-03-01T18:30:00Z", "2026-03-31T18:30:00Z");
        var weeks = byTime(account, "granularity=week&start_date=2026-02-20&end_date=2026-04-10&timezone=Asia/Kolkata");
        assertEquals(List.of("2026-W09 1", "2026-W10 1", "2026-W14 2"), days(weeks));
        var months = byTime(account, "granularity=month&start_date=2026-02-01&end_date=2026-04-30&timezone=Asia/Kolkata");
        assertEquals(List.of("2026-03 3", "2026-04 1"), days(months));
        assertEquals("month", months.get("granularity").asText());
        assertEquals("Asia/Kolkata", months.get("timezone").asText());
        // the same calls in UTC
        assertEquals(List.of("2026-03 4"), days(byTime(account, "granularity=month&start_date=2026-02-01&end_date=2026-04-30")));
    }

    @Test
    void theDashboardsPeriodsStartAtTheZonesMidnights() {
        var account = api.newAccount("periods");
        var assistant = UUID.randomUUID();
        // NOW is 2026-03-11 17:30 in Kolkata: today began at 03-10 18:30Z, the week on Monday 03-09 (03-08 18:30Z),
        // the month on 03-01 (02-28 18:30Z)
        for (var instant : List.of("2026-03-10T18:29:59Z", "2026-03-10T18:30:00Z", "2026-03-08T18:29:59Z", "2026-03-08T18:30:00Z",
                                   "2026-02-28T18:29:59Z", "2026-02-28T18:30:00Z", "2026-03-11T12:00:01Z")) {
            api.calls(account).add(assistant, at(instant), "1");
        }
        var india = api.get("/analytics/dashboard?timezone=Asia/Kolkata", account).data();
        assertEquals(1, india.get("calls_today").asInt());
        assertEquals(3, india.get("calls_this_week").asInt());
        assertEquals(5, india.get("calls_this_month").asInt());
        var utc = api.get("/analytics/dashboard", account).data();
        assertEquals(0, utc.get("calls_today").asInt());     // today began at 03-11 00:00Z
        assertEquals(2, utc.get("calls_this_week").asInt());  // Monday 03-09 00:00Z
        assertEquals(4, utc.get("calls_this_month").asInt()); // 03-01 00:00Z
        assertFalse(utc.has("timezone"), "UTC answers are the documented ones: " + utc);
    }

    @Test
    void anAccountsDefaultZoneAppliesUntilARequestNamesAnother() {
        var account = api.newAccount("default zone");
        around(account, "2026-03-09T18:30:00Z");
        var env = Cli.environment(api.database());
        var set = Cli.run(env, "accounts", "set-timezone", account.id().toString(), "Asia/Kolkata");
        assertEquals(0, set.exitCode(), set.err());
        var byDefault = byTime(account, "start_date=2026-03-01&end_date=2026-03-20");
        assertEquals(List.of("2026-03-09 1", "2026-03-10 1"), days(byDefault));
        assertEquals("Asia/Kolkata", byDefault.get("timezone").asText());
        assertEquals(List.of("2026-03-09 2"), days(byTime(account, "start_date=2026-03-01&end_date=2026-03-20&timezone=UTC")));
        var refused = Cli.run(env, "accounts", "set-timezone", account.id().toString(), "Mars/Olympus_Mons");
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("unknown time zone 'Mars/Olympus_Mons'"), refused.err());
        var created = Cli.run(env, "accounts", "create", "Nepal Calls", "--timezone", "Asia/Kathmandu");
        assertEquals(0, created.exitCode(), created.err());
        assertEquals("Asia/Kathmandu", api.ctx().fetchValue("select timezone from accounts where account_id = ?::uuid", created.lastLine()));
    }

    @Test
    void aTimeZoneThatIsNotAnIanaNameIsA400() {
        var account = api.newAccount("bad zones");
        for (var zone : List.of("Mars/Olympus_Mons", "%2B05:30", "IST", "asia/kolkata", "")) {
            var response = api.get("/analytics/calls/by-time?timezone=" + zone, account);
            if (zone.isEmpty()) {
                assertEquals(200, response.status(), "an empty value counts as absent");
                continue;
            }
            assertEquals(400, response.status(), zone);
            assertTrue(response.message().startsWith("Invalid timezone '"), response.message());
            assertTrue(response.message().endsWith("': use an IANA time zone name, such as UTC, Asia/Kolkata or America/New_York"),
                       response.message());
        }
        for (var path : List.of("/analytics/dashboard", "/analytics/calls/by-assistant", "/analytics/calls/by-phone-number",
                                "/analytics/calls/by-service", "/analytics/calls/by-status", "/analytics/tokens/summary",
                                "/assistant/call-logs/" + UUID.randomUUID())) {
            assertEquals(400, api.get(path + "?timezone=Nowhere/Land", account).status(), path);
        }
    }

    @Test
    void everyBreakdownAndTheCallLogsTakeTheZonesDays() {
        var account = api.newAccount("breakdowns in a zone");
        var assistant = UUID.randomUUID();
        api.calls(account).add(assistant, at("2026-03-09T18:29:59Z"), "1", c -> c.setPlatformNumber("+1").setCallService("exotel"));
        api.calls(account).add(assistant, at("2026-03-09T18:30:00Z"), "2", c -> c.setPlatformNumber("+2").setCallService("twilio"));
        var india = "start_date=2026-03-10&end_date=2026-03-10&timezone=Asia/Kolkata";
        assertJson("""
                {'assistants': [{'assistant_id': '%s', 'assistant_name': 'Assistant %s', 'total_calls': 1, 'total_duration_minutes': 2,
                  'total_duration_hours': 0.03, 'avg_duration_minutes': 2}], 'timezone': 'Asia/Kolkata'}
                """.formatted(assistant, assistant.toString().substring(0, 4)), api.get("/analytics/calls/by-assistant?" + india, account).data());
        assertEquals("+2", api.get("/analytics/calls/by-phone-number?" + india, account).data().get("phone_numbers").get(0)
                              .get("phone_number").asText());
        assertEquals("twilio", api.get("/analytics/calls/by-service?" + india, account).data().get("services").get(0)
                                  .get("service").asText());
        var logs = api.get("/assistant/call-logs/" + assistant + "?" + india, account).data();
        assertEquals(1, logs.get("pagination").get("total").asInt());
        assertEquals("2026-03-09T18:30:00.000Z", logs.get("logs").get(0).get("started_at").asText());
        // a date-time without an offset is read on the zone's clocks too
        var local = api.get("/analytics/dashboard?start_date=2026-03-10T00:00:00&end_date=2026-03-10T23:59:59&timezone=Asia/Kolkata",
                            account).data();
        assertEquals(1, local.get("total_calls").asInt());
    }
}
