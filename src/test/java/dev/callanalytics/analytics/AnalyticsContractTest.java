package dev.callanalytics.analytics;

import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytics endpoints against the contract, on a server whose clock stands still at
 * {@link #NOW}. Each test uses an account of its own, so the data of one cannot leak into another.
 */
class AnalyticsContractTest {

    /** A Saturday: its ISO week started on Monday 2026-03-23, its month on 2026-03-01. */
    static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void theDocumentsExampleFiguresReproduce() {
        var account = api.newAccount("examples");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.addMany(assistant, at("2026-03-10T09:00:00Z"), 15, "67.5", c -> c.setPlatformNumber("+919876543210"));
        calls.addMany(assistant, at("2026-03-11T09:00:00Z"), 8, "32.2", c -> c.setPlatformNumber("+918765432109"));

        var response = api.get("/analytics/calls/by-phone-number?assistant_id=" + assistant, account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Calls by phone number fetched successfully', 'data': {'phone_numbers': [
                  {'phone_number': '+919876543210', 'total_calls': 15, 'total_duration_minutes': 67.50,
                   'total_duration_hours': 1.13, 'avg_duration_minutes': 4.50},
                  {'phone_number': '+918765432109', 'total_calls': 8, 'total_duration_minutes': 32.20,
                   'total_duration_hours': 0.54, 'avg_duration_minutes': 4.03}]}}
                """, response.json());
        // Numbers are JSON numbers rounded to exactly two decimals, not strings.
        assertTrue(response.body().contains("\"total_duration_hours\":1.13"), response.body());
        assertTrue(response.body().contains("\"avg_duration_minutes\":4.03"), response.body());
    }

    @Test
    void durationsAreSummedExactlyAndRoundedOnceHalfUp() {
        var account = api.newAccount("rounding");
        var assistant = UUID.randomUUID();
        // 0.1 + 0.2 is not 0.3 in binary floating point; 3 x 0.335 = 1.005, which rounds to 1.01.
        api.calls(account).add(assistant, at("2026-03-20T10:00:00Z"), "0.335");
        api.calls(account).add(assistant, at("2026-03-20T11:00:00Z"), "0.335");
        api.calls(account).add(assistant, at("2026-03-20T12:00:00Z"), "0.335");
        // No duration: counts as a call with 0 minutes.
        api.calls(account).add(assistant, at("2026-03-20T13:00:00Z"), null);

        var dashboard = api.get("/analytics/dashboard", account).data();

        assertEquals(4, dashboard.get("total_calls").asInt());
        assertEquals("1.01", dashboard.get("total_duration_minutes").asText());
        assertEquals("0.02", dashboard.get("total_duration_hours").asText());   // 1.005 / 60 = 0.01675
        assertEquals("0.25", dashboard.get("avg_duration_minutes").asText());   // 1.005 / 4 = 0.25125
    }

    @Test
    void dashboardTotalsTheRangeAndCountsPeriodsUpToNowWhateverTheRange() {
        var account = api.newAccount("dashboard");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-28T00:00:00Z"), "1");   // today, at midnight
        calls.add(assistant, at("2026-03-28T11:59:59Z"), "1");   // today
        calls.add(assistant, at("2026-03-23T00:00:00Z"), "1");   // Monday: this week
        calls.add(assistant, at("2026-03-22T23:59:59Z"), "1");   // Sunday before: this month only
        calls.add(assistant, at("2026-03-01T00:00:00Z"), "1");   // first of the month
        calls.add(assistant, at("2026-02-28T23:59:59Z"), "1");   // last month
        calls.add(assistant, at("2026-03-28T12:00:01Z"), "1");   // in the future: not started yet

        var response = api.get("/analytics/dashboard?start_date=2026-02-01T00:00:00Z&end_date=2026-02-28T23:59:59Z", account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Dashboard analytics fetched successfully', 'data': {
                  'total_calls': 1, 'total_duration_minutes': 1.00, 'total_duration_hours': 0.02, 'avg_duration_minutes': 1.00,
                  'calls_today': 2, 'calls_this_week': 3, 'calls_this_month': 5,
                  'date_range': {'start_date': '2026-02-01T00:00:00.000Z', 'end_date': '2026-02-28T23:59:59.000Z'}}}
                """, response.json());
    }

    @Test
    void anEmptyRangeHasZeroTotalsAndAverageZero() {
        var account = api.newAccount("empty");
        var data = api.get("/analytics/dashboard", account).data();
        assertJson("""
                {'total_calls': 0, 'total_duration_minutes': 0, 'total_duration_hours': 0, 'avg_duration_minutes': 0,
                 'calls_today': 0, 'calls_this_week': 0, 'calls_this_month': 0,
                 'date_range': {'start_date': '2026-02-26T12:00:00.000Z', 'end_date': '2026-03-28T12:00:00.000Z'}}
                """, data);
        assertJson("{'assistants': []}", api.get("/analytics/calls/by-assistant", account).data());
        assertJson("{'phone_numbers': []}", api.get("/analytics/calls/by-phone-number", account).data());
        assertJson("{'time_series': [], 'granularity': 'day'}", api.get("/analytics/calls/by-time", account).data());
    }

    @Test
    void theDefaultRangeIsTheThirtyDaysUpToNowBothEndsIncluded() {
        var account = api.newAccount("default range");
        var assistant = UUID.randomUUID();
        var thirtyDaysAgo = NOW.minus(Duration.ofDays(30));
        api.calls(account).add(assistant, thirtyDaysAgo, "1");
        api.calls(account).add(assistant, NOW, "2");
        api.calls(account).add(assistant, thirtyDaysAgo.minusNanos(1000), "4");
        api.calls(account).add(assistant, NOW.plusNanos(1000), "8");

        var data = api.get("/analytics/dashboard", account).data();

        assertEquals(2, data.get("total_calls").asInt());
        assertEquals(3, data.get("total_duration_minutes").asInt());
        // Only an end: the range is the 30 days before it.
        var onlyEnd = api.get("/analytics/dashboard?end_date=2026-03-10T00:00:00Z", account).data();
        assertJson("{'start_date': '2026-02-08T00:00:00.000Z', 'end_date': '2026-03-10T00:00:00.000Z'}", onlyEnd.get("date_range"));
    }

    @Test
    void rangeEndsAreInclusiveAndBareDatesCoverWholeUtcDays() {
        var account = api.newAccount("ranges");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-01T00:00:00Z"), "1");
        calls.add(assistant, at("2026-03-05T23:59:59.999999Z"), "2");
        calls.add(assistant, at("2026-03-06T00:00:00Z"), "4");
        calls.add(assistant, at("2026-02-28T23:59:59.999999Z"), "8");

        assertEquals(3, minutes(account, "start_date=2026-03-01T00:00:00Z&end_date=2026-03-05T23:59:59.999999Z"));
        assertEquals(3, minutes(account, "start_date=2026-03-01&end_date=2026-03-05"));
        assertEquals(7, minutes(account, "start_date=2026-03-01&end_date=2026-03-06T00:00:00Z"));
        // Without an offset: UTC.
        assertEquals(3, minutes(account, "start_date=2026-03-01T00:00:00&end_date=2026-03-05T23:59:59.999999"));
        // An offset, URL-encoded or with its '+' turned into a space by a client that did not encode it.
        assertEquals(3, minutes(account, "start_date=2026-03-01T05:30:00%2B05:30&end_date=2026-03-06T05:29:59.999999%2B05:30"));
        assertEquals(3, minutes(account, "start_date=2026-03-01T05:30:00+05:30&end_date=2026-03-06T05:29:59.999999+05:30"));
        // 22:59:59 at -01:00 is 23:59:59 UTC, so the call a moment before midnight is in.
        assertEquals(11, minutes(account, "start_date=2026-02-28T22:59:59-01:00&end_date=2026-03-05"));

        var range = api.get("/analytics/dashboard?start_date=2026-03-01&end_date=2026-03-05", account).data().get("date_range");
        assertJson("{'start_date': '2026-03-01T00:00:00.000Z', 'end_date': '2026-03-05T23:59:59.999Z'}", range);
    }

    private static int minutes(Account account, String query) {
        var response = api.get("/analytics/calls/by-assistant?" + query, account);
        assertEquals(200, response.status(), response.body());
        var assistants = response.data().get("assistants");
        return assistants.isEmpty() ? 0 : assistants.get(0).get("total_duration_minutes").asInt();
    }

    @Test
    void byAssistantHasOneRowPerAssistantUnderItsCurrentNameBusiestFirst() {
        var account = api.newAccount("assistants");
        var renamed = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        var quiet = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        var tiedFewer = UUID.fromString("00000000-0000-0000-0000-00000000000c");
        var tiedSameA = UUID.fromString("00000000-0000-0000-0000-00000000000d");
        var tiedSameB = UUID.fromString("00000000-0000-0000-0000-00000000000e");
        var outOfRange = UUID.fromString("00000000-0000-0000-0000-00000000000f");
        var calls = api.calls(account);
        // The newer call is written first: the name follows the most recently started call,
        // not the most recently written one.
        calls.add(renamed, at("2026-03-20T10:00:00Z"), "10", c -> c.setAssistantName("Sales Bot"));
        calls.add(renamed, at("2026-03-10T10:00:00Z"), "5", c -> c.setAssistantName("Old Sales Bot"));
        calls.add(renamed, at("2026-03-21T10:00:00Z"), "1", c -> c.setAssistantName(null));
        calls.add(quiet, at("2026-03-20T10:00:00Z"), "1", c -> c.setAssistantName("Quiet Bot"));
        calls.add(tiedFewer, at("2026-03-20T10:00:00Z"), "6", c -> c.setAssistantName("Fewer"));
        calls.add(tiedSameB, at("2026-03-20T10:00:00Z"), "3", c -> c.setAssistantName("Same B"));
        calls.add(tiedSameB, at("2026-03-20T11:00:00Z"), "3", c -> c.setAssistantName("Same B"));
        calls.add(tiedSameA, at("2026-03-20T10:00:00Z"), "3", c -> c.setAssistantName("Same A"));
        calls.add(tiedSameA, at("2026-03-20T11:00:00Z"), "3", c -> c.setAssistantName("Same A"));
        calls.add(outOfRange, at("2026-01-01T10:00:00Z"), "100", c -> c.setAssistantName("Idle"));

        var response = api.get("/analytics/calls/by-assistant", account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Calls by assistant fetched successfully', 'data': {'assistants': [
                  {'assistant_id': '00000000-0000-0000-0000-00000000000a', 'assistant_name': 'Sales Bot', 'total_calls': 3,
                   'total_duration_minutes': 16, 'total_duration_hours': 0.27, 'avg_duration_minutes': 5.33},
                  {'assistant_id': '00000000-0000-0000-0000-00000000000d', 'assistant_name': 'Same A', 'total_calls': 2,
                   'total_duration_minutes': 6, 'total_duration_hours': 0.10, 'avg_duration_minutes': 3},
                  {'assistant_id': '00000000-0000-0000-0000-00000000000e', 'assistant_name': 'Same B', 'total_calls': 2,
                   'total_duration_minutes': 6, 'total_duration_hours': 0.10, 'avg_duration_minutes': 3},
                  {'assistant_id': '00000000-0000-0000-0000-00000000000c', 'assistant_name': 'Fewer', 'total_calls': 1,
                   'total_duration_minutes': 6, 'total_duration_hours': 0.10, 'avg_duration_minutes': 6},
                  {'assistant_id': '00000000-0000-0000-0000-00000000000b', 'assistant_name': 'Quiet Bot', 'total_calls': 1,
                   'total_duration_minutes': 1, 'total_duration_hours': 0.02, 'avg_duration_minutes': 1}]}}
                """, response.json());
    }

    @Test
    void phoneBucketsSeparateWebCallsKnownNumbersAndUnknownPlatforms() {
        var account = api.newAccount("buckets");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-20T10:00:00Z"), "1", c -> c.setCallType("web").setCallService("web").setPlatformNumber(null));
        calls.add(assistant, at("2026-03-20T10:01:00Z"), "1", c -> c.setCallType("web").setPlatformNumber("+15550001111"));
        calls.add(assistant, at("2026-03-20T10:02:00Z"), "1", c -> c.setCallType("outbound").setCallService("web"));
        calls.add(assistant, at("2026-03-20T10:03:00Z"), "2", c -> c.setPlatformNumber("+15550001111"));
        calls.add(assistant, at("2026-03-20T10:04:00Z"), "2", c -> c.setPlatformNumber("+15550002222"));
        calls.add(assistant, at("2026-03-20T10:05:00Z"), "1", c -> c.setPlatformNumber(null));
        calls.add(assistant, at("2026-03-20T10:06:00Z"), "1", c -> c.setPlatformNumber(""));
        calls.add(assistant, at("2026-03-20T10:07:00Z"), "1", c -> c.setPlatformNumber("   "));
        calls.add(assistant, at("2026-03-20T10:08:00Z"), "0.5", c -> c.setCallType("inbound").setCallService("exotel").setPlatformNumber(null));

        var response = api.get("/analytics/calls/by-phone-number", account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Calls by phone number fetched successfully', 'data': {'phone_numbers': [
                  {'phone_number': 'UNKNOWN_PLATFORM', 'total_calls': 4, 'total_duration_minutes': 3.50,
                   'total_duration_hours': 0.06, 'avg_duration_minutes': 0.88},
                  {'phone_number': 'WEB_CALL', 'total_calls': 3, 'total_duration_minutes': 3,
                   'total_duration_hours': 0.05, 'avg_duration_minutes': 1},
                  {'phone_number': '+15550001111', 'total_calls': 1, 'total_duration_minutes': 2,
                   'total_duration_hours': 0.03, 'avg_duration_minutes': 2},
                  {'phone_number': '+15550002222', 'total_calls': 1, 'total_duration_minutes': 2,
                   'total_duration_hours': 0.03, 'avg_duration_minutes': 2}]}}
                """, response.json());
    }

    @Test
    void isoWeeksAreLabelledWithTheWeekYearAcrossNewYear() {
        var account = api.newAccount("iso weeks");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2021-01-03T23:59:59Z"), "1");   // Sunday: last day of 2020-W53
        calls.add(assistant, at("2021-01-04T00:00:00Z"), "1");   // Monday: 2021-W01
        calls.add(assistant, at("2024-12-30T00:00:00Z"), "1");   // Monday: 2025-W01
        calls.add(assistant, at("2024-12-29T23:59:59Z"), "1");   // Sunday: 2024-W52
        calls.add(assistant, at("2027-01-01T12:00:00Z"), "1");   // Friday: 2026-W53
        calls.add(assistant, at("2026-12-31T12:00:00Z"), "2");   // Thursday: 2026-W53

        var response = api.get("/analytics/calls/by-time?granularity=week&start_date=2020-12-01&end_date=2027-01-31", account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Calls by time fetched successfully', 'data': {'time_series': [
                  {'date': '2020-W53', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02},
                  {'date': '2021-W01', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02},
                  {'date': '2024-W52', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02},
                  {'date': '2025-W01', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02},
                  {'date': '2026-W53', 'total_calls': 2, 'total_duration_minutes': 3, 'total_duration_hours': 0.05}],
                 'granularity': 'week'}}
                """, response.json());
    }

    @Test
    void daysAndMonthsAreUtcBucketsInAscendingOrderWithEmptyOnesOmitted() {
        var account = api.newAccount("days and months");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-15T23:59:59Z"), "1");
        calls.add(assistant, at("2026-03-16T00:00:00Z"), "2");
        calls.add(assistant, at("2026-03-16T23:00:00Z"), "2");
        calls.add(assistant, at("2026-03-01T00:30:00Z"), "4");
        calls.add(assistant, at("2026-01-31T23:59:59Z"), "8");

        var days = api.get("/analytics/calls/by-time?start_date=2026-01-01&end_date=2026-03-28", account);
        assertJson("""
                {'time_series': [
                  {'date': '2026-01-31', 'total_calls': 1, 'total_duration_minutes': 8, 'total_duration_hours': 0.13},
                  {'date': '2026-03-01', 'total_calls': 1, 'total_duration_minutes': 4, 'total_duration_hours': 0.07},
                  {'date': '2026-03-15', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02},
                  {'date': '2026-03-16', 'total_calls': 2, 'total_duration_minutes': 4, 'total_duration_hours': 0.07}],
                 'granularity': 'day'}
                """, days.data());

        var months = api.get("/analytics/calls/by-time?granularity=month&start_date=2026-01-01&end_date=2026-03-28", account);
        assertJson("""
                {'time_series': [
                  {'date': '2026-01', 'total_calls': 1, 'total_duration_minutes': 8, 'total_duration_hours': 0.13},
                  {'date': '2026-03', 'total_calls': 4, 'total_duration_minutes': 9, 'total_duration_hours': 0.15}],
                 'granularity': 'month'}
                """, months.data());
    }

    @Test
    void anAssistantFilterNarrowsByPhoneNumberAndByTimeToThatAssistant() {
        var account = api.newAccount("filter");
        var sales = UUID.randomUUID();
        var support = UUID.randomUUID();
        api.calls(account).add(sales, at("2026-03-20T10:00:00Z"), "3", c -> c.setPlatformNumber("+1"));
        api.calls(account).add(support, at("2026-03-20T10:00:00Z"), "5", c -> c.setPlatformNumber("+1"));
        api.calls(account).add(support, at("2026-03-21T10:00:00Z"), "7", c -> c.setPlatformNumber("+2"));

        assertJson("""
                {'phone_numbers': [{'phone_number': '+1', 'total_calls': 1, 'total_duration_minutes': 3,
                                    'total_duration_hours': 0.05, 'avg_duration_minutes': 3}]}
                """, api.get("/analytics/calls/by-phone-number?assistant_id=" + sales, account).data());
        assertJson("""
                {'time_series': [
                  {'date': '2026-03-20', 'total_calls': 1, 'total_duration_minutes': 5, 'total_duration_hours': 0.08},
                  {'date': '2026-03-21', 'total_calls': 1, 'total_duration_minutes': 7, 'total_duration_hours': 0.12}],
                 'granularity': 'day'}
                """, api.get("/analytics/calls/by-time?assistant_id=" + support, account).data());
        // An empty value counts as absent: every assistant.
        assertEquals(2, api.get("/analytics/calls/by-phone-number?assistant_id=", account).data().get("phone_numbers").size());
    }
}
