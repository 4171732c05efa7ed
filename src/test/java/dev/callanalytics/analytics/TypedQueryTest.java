package dev.callanalytics.analytics;

import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /analytics/query}: dimensions, measures and filters compiled from fixed names,
 * answered from the coarsest source that has them (and saying which), validated part by part,
 * capped in rows, and scoped to the caller's account.
 */
class TypedQueryTest {

    static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));
    static Account account;
    static final UUID SALES = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    static final UUID SUPPORT = UUID.fromString("00000000-0000-0000-0000-0000000000b2");

    @BeforeAll
    static void data() {
        account = api.newAccount("typed queries");
        var calls = api.calls(account);
        calls.add(SALES, Instant.parse("2026-03-10T08:00:00Z"), "2", c -> c.setCallService("exotel").setCallCost(new BigDecimal("0.02")));
        calls.add(SALES, Instant.parse("2026-03-10T09:30:00Z"), "4", c -> c.setCallService("exotel").setCallCost(new BigDecimal("0.04")));
        calls.add(SALES, Instant.parse("2026-03-11T18:45:00Z"), null, c -> c.setCallService("twilio").setCallStatus("busy"));
        calls.add(SUPPORT, Instant.parse("2026-03-11T10:00:00Z"), "10", c -> c.setCallService("twilio").setBillableDurationMinutes(10));
        calls.add(SUPPORT, Instant.parse("2026-03-12T10:00:00Z"), "1", c -> c.setCallService("twilio").setCallType("inbound"));
        // another account's calls never show
        var other = api.newAccount("typed queries, someone else");
        api.calls(other).add(SALES, Instant.parse("2026-03-10T08:00:00Z"), "100");
    }

    static TestApi.Response query(String json) {
        return api.send("POST", "/analytics/query", account.readKey(), json.replace('\'', '"'));
    }

    @Test
    void totalsByDayComeFromTheAccountTotals() {
        var response = query("{'start_date': '2026-03-01', 'end_date': '2026-03-31', 'step': 'day', 'measures': ['calls', 'minutes', 'cost']}");
        assertEquals(200, response.status(), response.body());
        assertJson("""
                {'success': true, 'message': 'Query answered', 'data': {'rows': [
                  {'period': '2026-03-10', 'calls': 2, 'minutes': 6, 'cost': 0.06},
                  {'period': '2026-03-11', 'calls': 2, 'minutes': 10, 'cost': 0},
                  {'period': '2026-03-12', 'calls': 1, 'minutes': 1, 'cost': 0}],
                 'source': 'account totals', 'truncated': false, 'step': 'day',
                 'date_range': {'start_date': '2026-03-01T00:00:00.000Z', 'end_date': '2026-03-31T23:59:59.999Z'}}}
                """, response.json());
    }

    @Test
    void dimensionsPickTheRollupsThatHaveThemAndAnswersAreInAZone() {
        var byService = query("{'start_date': '2026-03-01', 'end_date': '2026-03-31', 'group_by': ['assistant', 'service'],"
                              + " 'measures': ['calls', 'avg_minutes', 'billable_minutes']}").data();
        assertEquals("daily rollups", byService.get("source").asText());
        assertJson("""
                [{'assistant_id': '00000000-0000-0000-0000-0000000000a1', 'service': 'exotel', 'calls': 2, 'avg_minutes': 3, 'billable_minutes': 0},
                 {'assistant_id': '00000000-0000-0000-0000-0000000000a1', 'service': 'twilio', 'calls': 1, 'avg_minutes': 0, 'billable_minutes': 0},
                 {'assistant_id': '00000000-0000-0000-0000-0000000000b2', 'service': 'twilio', 'calls': 2, 'avg_minutes': 5.5, 'billable_minutes': 10}]
                """, byService.get("rows"));
        // 2026-03-11T18:45Z is 03-12 00:15 in Kolkata
        var byStatus = query("{'start_date': '2026-03-01', 'end_date': '2026-03-31', 'timezone': 'Asia/Kolkata', 'step': 'day',"
                             + " 'group_by': ['status'], 'filters': {'assistant_id': ['00000000-0000-0000-0000-0000000000a1']}}").data();
        assertEquals("daily rollups", byStatus.get("source").asText());
        assertEquals("Asia/Kolkata", byStatus.get("timezone").asText());
        assertJson("""
                [{'period': '2026-03-10', 'call_status': 'completed', 'calls': 2, 'minutes': 6},
                 {'period': '2026-03-12', 'call_status': 'busy', 'calls': 1, 'minutes': 0}]
                """, byStatus.get("rows"));
        var mixed = query("{'group_by': ['service', 'status'], 'start_date': '2026-03-01'}").data();
        assertEquals("raw calls", mixed.get("source").asText(), "no pre-aggregation has both the service and the status");
        assertEquals(3, mixed.get("rows").size());
    }

    @Test
    void whatOnlyTheCallsHaveIsAnsweredFromThemAndHoursAreSteps() {
        var data = query("{'start_date': '2026-03-01', 'end_date': '2026-03-31', 'group_by': ['assistant'],"
                         + " 'measures': ['calls', 'min_minutes', 'max_minutes', 'p50_minutes', 'max_cost'], 'filters': {'min_minutes': 1}}").data();
        assertEquals("raw calls", data.get("source").asText());
        assertJson("""
                [{'assistant_id': '00000000-0000-0000-0000-0000000000a1', 'calls': 2, 'min_minutes': 2, 'max_minutes': 4, 'p50_minutes': 3, 'max_cost': 0.04},
                 {'assistant_id': '00000000-0000-0000-0000-0000000000b2', 'calls': 2, 'min_minutes': 1, 'max_minutes': 10, 'p50_minutes': 5.5, 'max_cost': 0}]
                """, data.get("rows"));
        var hours = query("{'start_date': '2026-03-10', 'end_date': '2026-03-10', 'step': 'hour'}").data();
        assertEquals("account totals", hours.get("source").asText());
        assertJson("[{'period': '2026-03-10T08:00', 'calls': 1, 'minutes': 2}, {'period': '2026-03-10T09:00', 'calls': 1, 'minutes': 4}]",
                   hours.get("rows"));
        var quarters = query("{'start_date': '2026-01-01', 'end_date': '2026-12-31', 'step': 'quarter', 'measures': ['calls']}").data();
        assertJson("[{'period': '2026-Q1', 'calls': 5}]", quarters.get("rows"));
    }

    @Test
    void rowsAreCappedAndTheAnswerSaysSo() {
        var data = query("{'start_date': '2026-03-01', 'end_date': '2026-03-31', 'step': 'day', 'limit': 2}").data();
        assertEquals(2, data.get("rows").size());
        assertTrue(data.get("truncated").asBoolean());
    }

    @Test
    void everyBadPartIsA400NamingIt() {
        for (var bad : List.of(
                new String[]{"[]", "The query must be a JSON object"},
                new String[]{"{'group_by': ['colour']}", "group_by: 'colour' is not one of assistant, phone_number, service, status, type, end_reason"},
                new String[]{"{'group_by': ['status', 'status']}", "group_by: 'status' is there twice"},
                new String[]{"{'measures': ['median']}", "measures: 'median' is not one of calls, minutes, billable_minutes, cost, avg_minutes, "
                                                         + "avg_cost, min_minutes, max_minutes, min_cost, max_cost, p50_minutes, p90_minutes, p99_minutes"},
                new String[]{"{'step': 'minute'}", "step: 'minute' is not one of hour, day, week, month, quarter, year"},
                new String[]{"{'filters': {'colour': ['red']}}", "filters: 'colour' is not one of assistant_id, phone_number, service, call_status, "
                                                                 + "call_type, end_reason, min_minutes, max_minutes, min_cost, max_cost"},
                new String[]{"{'filters': {'assistant_id': ['sales']}}", "filters.assistant_id[0]: 'sales' is not a UUID"},
                new String[]{"{'filters': {'call_status': []}}", "filters.call_status: must be an array of 1 to 100 values"},
                new String[]{"{'filters': {'min_minutes': -1}}", "filters.min_minutes: must be at least 0 and below 1e12, with at most 20 decimals"},
                new String[]{"{'limit': 0}", "limit: must be an integer from 1 to 10000, got 0"},
                new String[]{"{'timezone': 'Mars/Olympus_Mons'}", "Invalid timezone 'Mars/Olympus_Mons': use an IANA time zone name, such as UTC, Asia/Kolkata or America/New_York"},
                new String[]{"{'start_date': 'yesterday'}", "Invalid start_date 'yesterday': use ISO 8601, such as 2026-03-01, 2026-03-01T00:00:00Z or 2026-03-01T05:30:00+05:30"},
                new String[]{"{'select': '*'}", "Unknown field 'select': a query has end_date, filters, group_by, limit, measures, start_date, step, timezone"},
                new String[]{"{'group_by': 'assistant'}", "group_by: must be an array of at most 6 names"},
                new String[]{"{", "Malformed JSON: Unexpected end-of-input"})) {
            var response = query(bad[0]);
            assertEquals(400, response.status(), bad[0]);
            assertTrue(response.message().startsWith(bad[1]), bad[0] + " -> " + response.message());
        }
        assertEquals(403, api.send("POST", "/analytics/query", account.ingestKey(), "{}").status());
        assertEquals(405, api.get("/analytics/query", account).status());
    }

    @Test
    void theQueryReadsTheCallersAccountOnly() {
        var all = query("{'start_date': '2026-03-10', 'end_date': '2026-03-10', 'group_by': ['assistant'], 'measures': ['calls', 'minutes']}").data();
        assertJson("[{'assistant_id': '00000000-0000-0000-0000-0000000000a1', 'calls': 2, 'minutes': 6}]", all.get("rows"));
    }
}
