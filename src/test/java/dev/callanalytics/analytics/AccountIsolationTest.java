package dev.callanalytics.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.jooq.JSONB;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Two accounts whose calls share room names, assistant ids and platform numbers: through every
 * endpoint and parameter, each sees its own calls only, and another account's assistant does
 * not exist for it.
 */
class AccountIsolationTest {

    static final UUID SHARED = UUID.fromString("11111111-1111-1111-1111-111111111111");
    static final UUID ONLY_ALPHA = UUID.fromString("22222222-2222-2222-2222-222222222222");
    static final String RANGE = "start_date=2026-01-01&end_date=2026-01-31";

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Account alpha;
    static Account beta;

    @BeforeAll
    static void start() {
        alpha = api.newAccount("alpha");
        beta = api.newAccount("beta");
        var day = Instant.parse("2026-01-15T10:00:00Z");
        // Same room names, same assistant id, same number, different everything else.
        for (int i = 0; i < 3; i++) {
            var room = "room-" + i;
            api.calls(alpha).add(SHARED, day.plusSeconds(i), "10", c -> c.setRoomName(room).setAssistantName("Alpha Bot").setPlatformNumber("+100")
                    .setCallService("exotel").setUsage(JSONB.valueOf("{\"llm_total_tokens\": 1000}")));
            api.calls(beta).add(SHARED, day.plusSeconds(i), "1", c -> c.setRoomName(room).setAssistantName("Beta Bot").setPlatformNumber("+100")
                    .setCallService("twilio").setUsage(JSONB.valueOf("{\"llm_total_tokens\": 1}")));
        }
        var secret = api.calls(alpha).add(ONLY_ALPHA, day, "7", c -> c.setRoomName("alpha-only").setAssistantName("Secret Bot")
                                                                     .setPlatformNumber("+999"));
        api.calls(alpha).transcript(secret, 0, "user", "Our secret merger plan", day);
    }

    @Test
    void theDashboardCountsTheCallersCallsOnly() {
        var data = api.get("/analytics/dashboard?" + RANGE, beta).data();
        assertEquals(3, data.get("total_calls").asInt());
        assertEquals(3, data.get("total_duration_minutes").asInt());
    }

    @Test
    void byAssistantShowsTheCallersAssistantsUnderTheCallersNames() {
        assertJson("""
                {'assistants': [{'assistant_id': '11111111-1111-1111-1111-111111111111', 'assistant_name': 'Beta Bot',
                  'total_calls': 3, 'total_duration_minutes': 3, 'total_duration_hours': 0.05, 'avg_duration_minutes': 1}]}
                """, api.get("/analytics/calls/by-assistant?" + RANGE, beta).data());
    }

    @Test
    void byPhoneNumberAndByTimeShowTheCallersCallsWithOrWithoutAnAssistant() {
        var expectedNumbers = """
                {'phone_numbers': [{'phone_number': '+100', 'total_calls': 3, 'total_duration_minutes': 3,
                  'total_duration_hours': 0.05, 'avg_duration_minutes': 1}]}
                """;
        assertJson(expectedNumbers, api.get("/analytics/calls/by-phone-number?" + RANGE, beta).data());
        assertJson(expectedNumbers, api.get("/analytics/calls/by-phone-number?" + RANGE + "&assistant_id=" + SHARED, beta).data());
        var expectedSeries = """
                {'time_series': [{'date': '2026-01', 'total_calls': 3, 'total_duration_minutes': 3, 'total_duration_hours': 0.05}],
                 'granularity': 'month'}
                """;
        assertJson(expectedSeries, api.get("/analytics/calls/by-time?granularity=month&" + RANGE, beta).data());
        assertJson(expectedSeries, api.get("/analytics/calls/by-time?granularity=month&" + RANGE + "&assistant_id=" + SHARED, beta).data());
    }

    @Test
    void byServiceAndTokenUsageShowTheCallersCallsOnly() {
        var expectedServices = """
                {'services': [{'service': 'twilio', 'total_calls': 3, 'total_duration_minutes': 3, 'total_duration_hours': 0.05}]}
                """;
        assertJson(expectedServices, api.get("/analytics/calls/by-service?" + RANGE, beta).data());
        assertJson(expectedServices, api.get("/analytics/calls/by-service?" + RANGE + "&assistant_id=" + SHARED, beta).data());
        assertEquals(3, api.get("/analytics/tokens/summary?" + RANGE, beta).data().get("total_llm_tokens").asInt());
        assertEquals(3, api.get("/analytics/tokens/summary?" + RANGE + "&assistant_id=" + SHARED, beta).data().get("total_llm_tokens").asInt());
        assertJson("""
                {'assistants': [{'assistant_id': '11111111-1111-1111-1111-111111111111', 'total_calls': 3, 'total_llm_tokens': 3,
                  'total_llm_input_audio_tokens': 0, 'total_llm_output_text_tokens': 0, 'total_tts_characters': 0,
                  'total_tts_audio_duration': 0, 'total_stt_audio_duration': 0, 'total_call_duration_minutes': 3,
                  'total_call_duration_hours': 0.05}]}
                """, api.get("/analytics/tokens/by-assistant?" + RANGE, beta).data());
        // and no read key of an account reaches the operator's view of every account
        assertEquals(403, api.get("/admin/analytics/calls/by-account", beta).status());
    }

    @Test
    void anotherAccountsAssistantDoesNotExistForTheCaller() {
        for (var path : new String[]{
                "/assistant/call-logs/" + ONLY_ALPHA,
                "/analytics/calls/by-phone-number?assistant_id=" + ONLY_ALPHA,
                "/analytics/calls/by-service?assistant_id=" + ONLY_ALPHA,
                "/analytics/tokens/summary?assistant_id=" + ONLY_ALPHA,
                "/analytics/calls/by-time?assistant_id=" + ONLY_ALPHA}) {
            var response = api.get(path, beta);
            assertEquals(404, response.status(), path);
            assertEquals("Assistant not found: " + ONLY_ALPHA, response.message());
        }
        assertEquals(200, api.get("/assistant/call-logs/" + ONLY_ALPHA, alpha).status());
    }

    @Test
    void callSearchAndExportShowTheCallersCallsOnlyWhateverTheFilterOrCursor() {
        var found = api.get("/calls?limit=100", beta).data().get("calls");
        assertEquals(3, found.size());
        found.forEach(call -> assertEquals("Beta Bot", call.get("assistant_name").asText()));
        for (var query : new String[]{"assistant_id=" + ONLY_ALPHA, "q=secret", "platform_number=%2B999", "call_service=exotel",
                                      "min_call_duration_minutes=5"}) {
            assertEquals(0, api.get("/calls?" + query, beta).data().get("calls").size(), query);
        }
        assertEquals(1, api.get("/calls?q=secret", alpha).data().get("calls").size(), "alpha finds its own");
        // a cursor is a position, not a key: alpha's, passed by beta, pages beta's calls
        var alphasNext = api.get("/calls?limit=1", alpha).data().get("next").asText();
        var paged = api.get("/calls?limit=100&cursor=" + alphasNext, beta);
        assertEquals(200, paged.status());
        paged.data().get("calls").forEach(call -> assertEquals("Beta Bot", call.get("assistant_name").asText()));
        for (var format : new String[]{"csv", "ndjson"}) {
            var export = api.get("/calls/export?format=" + format, beta).body();
            assertEquals(format.equals("csv") ? 4 : 3, export.split("\n").length, export);
            assertFalse(export.contains("Alpha") || export.contains("Secret") || export.contains("alpha-only"), export);
        }
        assertFalse(api.get("/calls/export?q=secret", beta).body().contains("alpha-only"));
    }

    @Test
    void callLogsOfASharedAssistantIdShowTheCallersCallsOnly() {
        var data = api.get("/assistant/call-logs/" + SHARED + "?limit=100", beta).data();
        assertEquals(3, data.get("pagination").get("total").asInt());
        for (JsonNode log : data.get("logs")) {
            assertEquals("Beta Bot", log.get("assistant_name").asText());
            assertEquals(1, log.get("call_duration_minutes").asInt());
        }
        for (var sort : new String[]{"started_at", "ended_at", "call_duration_minutes", "call_cost"}) {
            var body = api.get("/assistant/call-logs/" + SHARED + "?sort_by=" + sort + "&" + RANGE, beta).body();
            assertFalse(body.contains("Alpha Bot"), body);
        }
    }
}
