package dev.callanalytics.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The breakdowns beyond the documented five (by status with its answer rate, by type, by end
 * reason), and what the documented ones gain only when asked: cost and billable minutes,
 * duration percentiles, empty buckets as zeros, the previous period beside the dashboard.
 */
class BreakdownsTest {

    static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");
    static final String MARCH = "start_date=2026-03-01&end_date=2026-03-31";

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void byStatusCountsEveryStatusAndTheAnswerRateIsCompletedOverTerminal() {
        var account = api.newAccount("statuses");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        for (int i = 0; i < 3; i++) {
            calls.add(assistant, at("2026-03-10T09:00:00Z").plusSeconds(i), "2.5",
                      c -> c.setCallStatus("completed").setCallCost(new BigDecimal("0.125")).setBillableDurationMinutes(3));
        }
        calls.add(assistant, at("2026-03-11T09:00:00Z"), null, c -> c.setCallStatus("busy"));
        calls.add(assistant, at("2026-03-11T10:00:00Z"), null, c -> c.setCallStatus("no_answer"));
        calls.add(assistant, at("2026-03-12T10:00:00Z"), "1", c -> c.setCallStatus("answered"));    // in progress: not terminal
        calls.add(assistant, at("2026-03-12T11:00:00Z"), null, c -> c.setCallStatus("initiated"));

        var response = api.get("/analytics/calls/by-status?" + MARCH, account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Calls by status fetched successfully', 'data': {
                  'statuses': [
                    {'call_status': 'completed', 'total_calls': 3, 'total_duration_minutes': 7.50, 'total_duration_hours': 0.13,
                     'total_cost': 0.38, 'total_billable_minutes': 9},
                    {'call_status': 'answered', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02,
                     'total_cost': 0, 'total_billable_minutes': 0},
                    {'call_status': 'busy', 'total_calls': 1, 'total_duration_minutes': 0, 'total_duration_hours': 0,
                     'total_cost': 0, 'total_billable_minutes': 0},
                    {'call_status': 'initiated', 'total_calls': 1, 'total_duration_minutes': 0, 'total_duration_hours': 0,
                     'total_cost': 0, 'total_billable_minutes': 0},
                    {'call_status': 'no_answer', 'total_calls': 1, 'total_duration_minutes': 0, 'total_duration_hours': 0,
                     'total_cost': 0, 'total_billable_minutes': 0}],
                  'terminal_calls': 5, 'completed_calls': 3, 'answer_rate': 0.6}}
                """, response.json());
        assertTrue(response.body().contains("\"answer_rate\":0.6000"), response.body());
        var none = api.get("/analytics/calls/by-status?start_date=2020-01-01&end_date=2020-01-02", account).data();
        assertJson("{'statuses': [], 'terminal_calls': 0, 'completed_calls': 0, 'answer_rate': null}", none);
    }

    @Test
    void byTypeAndByEndReasonNameTheCallsWithoutOneUnknown() {
        var account = api.newAccount("types and reasons");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-10T09:00:00Z"), "1", c -> c.setCallType("inbound").setCallEndReason("participant_left"));
        calls.add(assistant, at("2026-03-10T10:00:00Z"), "2", c -> c.setCallType("inbound").setCallEndReason(" participant_left "));
        calls.add(assistant, at("2026-03-10T11:00:00Z"), "4", c -> c.setCallType(null).setCallEndReason(null));
        calls.add(assistant, at("2026-03-10T12:00:00Z"), "8", c -> c.setCallType("web").setCallEndReason("silence_timeout"));

        assertJson("""
                {'types': [
                  {'call_type': 'inbound', 'total_calls': 2, 'total_duration_minutes': 3, 'total_duration_hours': 0.05,
                   'total_cost': 0, 'total_billable_minutes': 0},
                  {'call_type': 'unknown', 'total_calls': 1, 'total_duration_minutes': 4, 'total_duration_hours': 0.07,
                   'total_cost': 0, 'total_billable_minutes': 0},
                  {'call_type': 'web', 'total_calls': 1, 'total_duration_minutes': 8, 'total_duration_hours': 0.13,
                   'total_cost': 0, 'total_billable_minutes': 0}]}
                """, api.get("/analytics/calls/by-type?" + MARCH, account).data());
        var reasons = api.get("/analytics/calls/by-end-reason?" + MARCH, account);
        assertEquals("Calls by end reason fetched successfully", reasons.message());
        assertEquals("[participant_left 2, silence_timeout 1, unknown 1]", describe(reasons.data().get("end_reasons")));
        var other = api.newAccount("types elsewhere");
        assertEquals(404, api.get("/analytics/calls/by-type?assistant_id=" + assistant, other).status());
        assertEquals(1, api.get("/analytics/calls/by-type?assistant_id=" + assistant + "&start_date=2026-03-10T11:30:00Z&end_date=2026-03-31",
                                account).data().get("types").size());
    }

    static String describe(JsonNode rows) {
        var parts = new ArrayList<String>();
        rows.forEach(row -> parts.add(row.get("end_reason").asText() + " " + row.get("total_calls").asInt()));
        return parts.toString();
    }

    @Test
    void costAndBillableMinutesAndPercentilesAreThereOnlyWhenAsked() {
        var account = api.newAccount("include");
        var assistant = UUID.randomUUID();
        for (int i = 1; i <= 10; i++) {
            int minutes = i;
            api.calls(account).add(assistant, at("2026-03-10T09:00:00Z").plusSeconds(i), String.valueOf(minutes),
                                   c -> c.setCallCost(new BigDecimal("0.015")).setBillableDurationMinutes(minutes));
        }
        var plain = api.get("/analytics/dashboard?" + MARCH, account);
        assertFalse(plain.body().contains("total_cost"), plain.body());
        var dashboard = api.get("/analytics/dashboard?" + MARCH + "&include=cost,billable_minutes,percentiles", account).data();
        assertEquals("0.15", dashboard.get("total_cost").decimalValue().toPlainString());
        assertEquals(55, dashboard.get("total_billable_minutes").asInt());
        // percentile_cont over 1..10 minutes: 5.5, 9.1, 9.91
        assertJson("{'p50': 5.5, 'p90': 9.1, 'p99': 9.91}", dashboard.get("duration_percentiles"));
        var assistants = api.get("/analytics/calls/by-assistant?" + MARCH + "&include=percentiles,cost", account).data().get("assistants");
        assertJson("{'p50': 5.5, 'p90': 9.1, 'p99': 9.91}", assistants.get(0).get("duration_percentiles"));
        assertEquals("0.15", assistants.get(0).get("total_cost").decimalValue().toPlainString());
        assertFalse(assistants.get(0).has("total_billable_minutes"));
        var numbers = api.get("/analytics/calls/by-phone-number?" + MARCH + "&include=billable_minutes", account).data();
        assertEquals(55, numbers.get("phone_numbers").get(0).get("total_billable_minutes").asInt());
        var services = api.get("/analytics/calls/by-service?" + MARCH + "&include=cost", account).data();
        assertEquals("0.15", services.get("services").get(0).get("total_cost").decimalValue().toPlainString());
        var refused = api.get("/analytics/calls/by-service?include=percentiles", account);
        assertEquals(400, refused.status());
        assertEquals("Invalid include 'percentiles': use a comma-separated list of cost, billable_minutes", refused.message());
        assertEquals("Invalid include 'cost,colour': use a comma-separated list of cost, billable_minutes, percentiles",
                     api.get("/analytics/dashboard?include=cost,colour", account).message());
    }

    @Test
    void fillZeroGivesEveryBucketOfTheRange() {
        var account = api.newAccount("fill");
        var assistant = UUID.randomUUID();
        api.calls(account).add(assistant, at("2026-03-02T10:00:00Z"), "1", c -> c.setCallCost(new BigDecimal("0.5")));
        api.calls(account).add(assistant, at("2026-03-05T10:00:00Z"), "2");
        var days = api.get("/analytics/calls/by-time?start_date=2026-03-01&end_date=2026-03-05&fill=zero&include=cost", account).data();
        assertJson("""
                {'time_series': [
                  {'date': '2026-03-01', 'total_calls': 0, 'total_duration_minutes': 0, 'total_duration_hours': 0, 'total_cost': 0},
                  {'date': '2026-03-02', 'total_calls': 1, 'total_duration_minutes': 1, 'total_duration_hours': 0.02, 'total_cost': 0.5},
                  {'date': '2026-03-03', 'total_calls': 0, 'total_duration_minutes': 0, 'total_duration_hours': 0, 'total_cost': 0},
                  {'date': '2026-03-04', 'total_calls': 0, 'total_duration_minutes': 0, 'total_duration_hours': 0, 'total_cost': 0},
                  {'date': '2026-03-05', 'total_calls': 1, 'total_duration_minutes': 2, 'total_duration_hours': 0.03, 'total_cost': 0}],
                 'granularity': 'day'}
                """, days);
        // weeks across the new year, labelled as ISO weeks; months of a zone
        var weeks = api.get("/analytics/calls/by-time?granularity=week&start_date=2025-12-24&end_date=2026-01-08&fill=zero", account).data();
        assertEquals("[2025-W52, 2026-W01, 2026-W02]", weeks.get("time_series").findValuesAsText("date").toString());
        var months = api.get("/analytics/calls/by-time?granularity=month&start_date=2026-01-15&end_date=2026-03-02&fill=zero"
                             + "&timezone=Asia/Kolkata", account).data();
        assertEquals("[2026-01, 2026-02, 2026-03]", months.get("time_series").findValuesAsText("date").toString());
        assertEquals(400, api.get("/analytics/calls/by-time?fill=zeros", account).status());
    }

    @Test
    void comparePreviousSetsThePeriodJustBeforeBesideTheDashboard() {
        var account = api.newAccount("compare");
        var assistant = UUID.randomUUID();
        api.calls(account).add(assistant, at("2026-03-05T10:00:00Z"), "10");
        api.calls(account).add(assistant, at("2026-03-06T10:00:00Z"), "5");
        api.calls(account).add(assistant, at("2026-02-28T10:00:00Z"), "3");   // the previous 7 days: 02-22 .. 02-28
        api.calls(account).add(assistant, at("2026-02-21T23:59:59Z"), "100"); // before them
        var data = api.get("/analytics/dashboard?start_date=2026-03-01&end_date=2026-03-07&compare=previous", account).data();
        assertEquals(2, data.get("total_calls").asInt());
        assertJson("""
                {'total_calls': 1, 'total_duration_minutes': 3, 'total_duration_hours': 0.05, 'avg_duration_minutes': 3,
                 'date_range': {'start_date': '2026-02-22T00:00:00.000Z', 'end_date': '2026-02-28T23:59:59.999Z'}}
                """, data.get("previous"));
        assertJson("{'total_calls': 1, 'total_duration_minutes': 12, 'total_calls_percent': 100, 'total_duration_minutes_percent': 400}",
                   data.get("change"));
        var first = api.get("/analytics/dashboard?start_date=2020-01-01&end_date=2020-01-07&compare=previous", account).data();
        assertTrue(first.get("change").get("total_calls_percent").isNull(), first.toString());
        assertEquals(400, api.get("/analytics/dashboard?compare=last_year", account).status());
    }
}
