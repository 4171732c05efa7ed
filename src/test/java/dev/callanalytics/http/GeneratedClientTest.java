package dev.callanalytics.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.client.ApiClient;
import dev.callanalytics.client.ApiException;
import dev.callanalytics.client.api.AnalyticsApi;
import dev.callanalytics.client.api.CallLogsApi;
import dev.callanalytics.client.api.CallSearchApi;
import dev.callanalytics.client.api.OperationsApi;
import dev.callanalytics.client.api.OperatorApi;
import dev.callanalytics.client.api.TokenUsageApi;
import dev.callanalytics.client.model.CallLogSortKey;
import dev.callanalytics.client.model.Granularity;
import dev.callanalytics.client.model.QueryAnswer;
import dev.callanalytics.client.model.QueryDimension;
import dev.callanalytics.client.model.QueryMeasure;
import dev.callanalytics.client.model.TypedQuery;
import dev.callanalytics.client.model.SortOrder;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.jooq.JSONB;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * openapi.yaml as a client developer uses it: a Java client generated from it by
 * openapi-generator (at build time, see pom.xml) calls every read endpoint of the running server
 * with typed parameters, and gets back typed answers equal to what the server says over plain
 * HTTP. A parameter declared with the wrong type, or an answer the description does not match,
 * breaks the build or this test.
 */
class GeneratedClientTest {

    static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");
    static final OffsetDateTime START = OffsetDateTime.parse("2026-03-01T00:00:00Z");
    static final OffsetDateTime END = OffsetDateTime.parse("2026-03-28T12:00:00Z");
    static final String RANGE = "start_date=2026-03-01T00:00:00Z&end_date=2026-03-28T12:00:00Z";

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));
    static Account account;
    static String adminKey;
    static final UUID ASSISTANT = UUID.randomUUID();

    @BeforeAll
    static void data() {
        account = api.newAccount("generated client");
        adminKey = api.newKey(api.newAccount("generated client operator"), EnumSet.of(Scope.ADMIN));
        var calls = api.calls(account);
        for (int i = 0; i < 12; i++) {
            int n = i;
            calls.add(ASSISTANT, Instant.parse("2026-03-02T09:00:00Z").plusSeconds(86_400L * i + 37), String.valueOf(1.25 * i),
                      c -> c.setCallService(n % 3 == 0 ? "exotel" : "twilio").setCallCost(BigDecimal.valueOf(n, 2))
                            .setUsage(n % 2 == 0 ? JSONB.valueOf("{\"llm_total_tokens\": " + (100 + n) + ", \"stt_audio_duration\": 2.5}") : null));
        }
    }

    static ApiClient client(String key) {
        var client = new ApiClient();
        client.updateBaseUri("http://localhost:" + api.port());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }

    /**
     * The generated client's answer as JSON, as its own ObjectMapper writes it, beside the server's
     * over plain HTTP; instants compare as instants (the client writes 12:00:00Z for 12:00:00.000Z).
     */
    static void assertSame(Object typed, String path, String key) {
        JsonNode expected = instants(api.get(path, key).json());
        JsonNode actual = instants(client(key).getObjectMapper().valueToTree(typed));
        assertJson(expected.toString(), actual);
    }

    /** The tree with every ISO 8601 instant written one way. */
    static JsonNode instants(JsonNode node) {
        if (node.isTextual()) {
            try {
                return TextNode.valueOf(OffsetDateTime.parse(node.textValue()).toInstant().toString());
            } catch (DateTimeParseException e) {
                return node;
            }
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> field.setValue(instants(field.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, instants(array.get(i)));
            }
        }
        return node;
    }

    @Test
    void everyAnalyticsAndTokenEndpointAnswersTheClientWithTypedValues() throws ApiException {
        var analytics = new AnalyticsApi(client(account.readKey()));
        var tokens = new TokenUsageApi(client(account.readKey()));
        var key = account.readKey();

        var dashboard = analytics.getDashboard(START, END, null, null, null);
        assertEquals(12, dashboard.getData().getTotalCalls());
        assertSame(dashboard, "/analytics/dashboard?" + RANGE, key);
        assertSame(analytics.getCallsByAssistant(START, END, null, null), "/analytics/calls/by-assistant?" + RANGE, key);
        assertSame(analytics.getCallsByPhoneNumber(START, END, null, ASSISTANT, null), "/analytics/calls/by-phone-number?" + RANGE + "&assistant_id=" + ASSISTANT, key);
        var weeks = analytics.getCallsByTime(START, END, null, Granularity.WEEK, null, null, null);
        assertEquals(Granularity.WEEK, weeks.getData().getGranularity());
        assertSame(weeks, "/analytics/calls/by-time?granularity=week&" + RANGE, key);
        assertSame(analytics.getCallsByService(START, END, null, null, null), "/analytics/calls/by-service?" + RANGE, key);
        var summary = tokens.getTokenSummary(START, END, null, ASSISTANT);
        assertEquals(6, summary.getData().getTotalRecords());
        assertSame(summary, "/analytics/tokens/summary?" + RANGE + "&assistant_id=" + ASSISTANT, key);
        assertSame(tokens.getTokensByAssistant(START, END, null), "/analytics/tokens/by-assistant?" + RANGE, key);
        // the defaults, every parameter left out
        assertSame(analytics.getDashboard(null, null, null, null, null), "/analytics/dashboard", key);
        // what goes beyond the documented answers: time zones, breakdowns, included sums, filled buckets, the previous period
        var zone = "&timezone=Asia/Kolkata";
        assertSame(analytics.getDashboard(START, END, "Asia/Kolkata", "cost,billable_minutes,percentiles", "previous"),
                   "/analytics/dashboard?" + RANGE + zone + "&include=cost,billable_minutes,percentiles&compare=previous", key);
        assertSame(analytics.getCallsByTime(START, END, "Asia/Kolkata", Granularity.DAY, ASSISTANT, "cost", "zero"),
                   "/analytics/calls/by-time?" + RANGE + zone + "&granularity=day&assistant_id=" + ASSISTANT + "&include=cost&fill=zero", key);
        assertSame(analytics.getCallsByStatus(START, END, "Asia/Kolkata", null), "/analytics/calls/by-status?" + RANGE + zone, key);
        assertSame(analytics.getCallsByType(START, END, null, ASSISTANT), "/analytics/calls/by-type?" + RANGE + "&assistant_id=" + ASSISTANT, key);
        assertSame(analytics.getCallsByEndReason(START, END, null, null), "/analytics/calls/by-end-reason?" + RANGE, key);
        // the typed query, its body built from the generated model
        var typed = analytics.runQuery(new TypedQuery().startDate(START).endDate(END).step(TypedQuery.StepEnum.WEEK)
                                                       .groupBy(List.of(QueryDimension.SERVICE))
                                                       .measures(List.of(QueryMeasure.CALLS, QueryMeasure.COST, QueryMeasure.P90_MINUTES)));
        assertEquals(QueryAnswer.SourceEnum.RAW_CALLS, typed.getData().getSource());
        assertTrue(typed.getData().getRows().size() >= 2, typed.toString());
        assertEquals(12, typed.getData().getRows().stream().mapToInt(row -> row.getCalls()).sum());
    }

    @Test
    void callLogsPageWithTypedPagingAndSorting() throws ApiException {
        var logs = new CallLogsApi(client(account.readKey()));
        var page = logs.getCallLogs(ASSISTANT, 2, 5, START, END, null, CallLogSortKey.CALL_COST, SortOrder.ASC);
        assertEquals(12, page.getData().getPagination().getTotal());
        assertEquals(3, page.getData().getPagination().getTotalPages());
        assertEquals(5, page.getData().getLogs().size());
        assertSame(page, "/assistant/call-logs/" + ASSISTANT + "?page=2&limit=5&" + RANGE + "&sort_by=call_cost&sort_order=asc",
                   account.readKey());
        var missing = assertThrows(ApiException.class, () -> logs.getCallLogs(UUID.randomUUID(), null, null, null, null, null, null, null));
        assertEquals(404, missing.getCode());
        assertTrue(missing.getResponseBody().contains("\"success\":false"), missing.getResponseBody());
    }

    @Test
    void callSearchPagesByCursorAndTheExportDownloadsThroughTheClient() throws Exception {
        var search = new CallSearchApi(client(account.readKey()));
        var first = search.searchCalls(null, ASSISTANT, "completed", "outbound", "twilio", null, null, null, START, END, null,
                                       new BigDecimal("1"), null, null, null, SortOrder.DESC, 5, null);
        assertEquals(5, first.getData().getCalls().size());
        assertSame(first, "/calls?assistant_id=" + ASSISTANT + "&call_status=completed&call_type=outbound&call_service=twilio&"
                          + RANGE + "&min_call_duration_minutes=1&sort_order=desc&limit=5", account.readKey());
        var second = search.searchCalls(null, ASSISTANT, "completed", "outbound", "twilio", null, null, null, START, END, null,
                                        new BigDecimal("1"), null, null, null, SortOrder.DESC, 5, first.getData().getNext());
        assertTrue(second.getData().getCalls().stream().noneMatch(call -> first.getData().getCalls().contains(call)));
        var csv = search.exportCalls("csv", null, ASSISTANT, "completed", null, "twilio", null, null, null, START, END, null,
                                     null, null, null, null, null);
        var rows = Files.readAllLines(csv.toPath());
        assertEquals("room_name,assistant_id,assistant_name,to_number,call_status,call_status_reason,sip_status_code,sip_status_text,"
                     + "answered_at,started_at,ended_at,call_duration_minutes,recording_path,call_cost", rows.getFirst());
        assertEquals(8, rows.size() - 1, "the twilio calls of the range");
        var bad = assertThrows(ApiException.class, () -> search.searchCalls(null, null, "maybe", null, null, null, null, null, null, null,
                                                                           null, null, null, null, null, null, null, null));
        assertEquals(400, bad.getCode());
    }

    @Test
    void theOperatorsEndpointsAnswerTheClientWithAnAdminKey() throws ApiException {
        var operator = new OperatorApi(client(adminKey));
        assertEquals(12, operator.getAdminDashboard(START, END, null).getData().getTotalCalls());
        assertSame(operator.getAdminDashboard(START, END, null), "/admin/analytics/dashboard?" + RANGE, adminKey);
        assertSame(operator.getAdminCallsByAccount(START, END, null), "/admin/analytics/calls/by-account?" + RANGE, adminKey);
        assertSame(operator.getAdminCallsByPhoneNumber(START, END, null, account.id(), null),
                   "/admin/analytics/calls/by-phone-number?" + RANGE + "&account_id=" + account.id(), adminKey);
        assertSame(operator.getAdminCallsByService(START, END, null, null, null), "/admin/analytics/calls/by-service?" + RANGE, adminKey);
        assertSame(operator.getAdminTokenSummary(START, END, null, account.id(), ASSISTANT),
                   "/admin/analytics/tokens/summary?" + RANGE + "&account_id=" + account.id() + "&assistant_id=" + ASSISTANT, adminKey);
        assertSame(operator.getAdminTokensByAccount(START, END, null), "/admin/analytics/tokens/by-account?" + RANGE, adminKey);
        assertSame(operator.getAdminTokensByAssistant(START, END, null, null), "/admin/analytics/tokens/by-assistant?" + RANGE, adminKey);
        var refused = assertThrows(ApiException.class, () -> new OperatorApi(client(account.readKey())).getAdminDashboard(null, null, null));
        assertEquals(403, refused.getCode());
    }

    @Test
    void theHealthProbesAnswerTheClientWithoutAKey() throws ApiException {
        var operations = new OperationsApi(new ApiClient().setHost("localhost").setPort(api.port()));
        assertEquals("UP", operations.getLiveness().getData().getStatus().getValue());
        assertEquals("UP", operations.getReadiness().getData().getStatus().getValue());
    }
}
