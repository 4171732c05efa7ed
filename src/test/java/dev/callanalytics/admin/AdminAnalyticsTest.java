package dev.callanalytics.admin;

import dev.callanalytics.auth.Scope;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.jooq.JSONB;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The operator's routes, {@code /admin/analytics/...}: across every account for a key with the
 * admin scope, and for no other key. Runs on a database of its own, so "every account" is the
 * accounts made here.
 */
class AdminAnalyticsTest {

    static final String MARCH = "start_date=2026-03-01&end_date=2026-03-31";
    static final List<String> ROUTES = List.of("/dashboard", "/calls/by-account", "/calls/by-phone-number", "/calls/by-service",
                                               "/tokens/summary", "/tokens/by-account", "/tokens/by-assistant");
    static final UUID SHARED = UUID.fromString("11111111-1111-1111-1111-111111111111");
    static final UUID ONLY_BETA = UUID.fromString("22222222-2222-2222-2222-222222222222");

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Account alpha;
    static Account beta;
    static Account idle;
    static String adminKey;

    static JSONB usage(long tokens) {
        return JSONB.valueOf("{\"llm_total_tokens\": " + tokens + ", \"tts_characters_count\": " + tokens / 10 + "}");
    }

    @BeforeAll
    static void data() {
        alpha = api.newAccount("Alpha Voice");
        beta = api.newAccount("Beta Calls");
        idle = api.newAccount("Idle");
        // the operator's key belongs to an account of its own, like any key
        adminKey = api.newKey(api.newAccount("Operator"), EnumSet.of(Scope.ADMIN));
        var day = Instant.parse("2026-03-10T10:00:00Z");
        api.calls(alpha).add(SHARED, day, "10", c -> c.setPlatformNumber("+100").setCallService("twilio").setUsage(usage(300)));
        api.calls(alpha).add(SHARED, day.plusSeconds(60), "5", c -> c.setPlatformNumber("+200").setCallService("exotel"));
        api.calls(beta).add(SHARED, day, "2.5", c -> c.setPlatformNumber("+100").setCallService("twilio").setUsage(usage(100)));
        api.calls(beta).add(ONLY_BETA, day, "2.5", c -> c.setPlatformNumber("+100").setCallService(null).setUsage(usage(100)));
        api.calls(idle).add(SHARED, Instant.parse("2026-05-01T00:00:00Z"), "1");   // outside the range
    }

    static TestApi.Response admin(String route) {
        return api.get("/admin/analytics" + route, adminKey);
    }

    @Test
    void onlyAKeyWithTheAdminScopeReachesTheOperatorsRoutes() {
        for (var route : ROUTES) {
            var path = "/admin/analytics" + route;
            assertEquals(200, api.get(path, adminKey).status(), path);
            for (var key : List.of(alpha.readKey(), alpha.ingestKey(), api.newKey(alpha, EnumSet.of(Scope.READ, Scope.INGEST)))) {
                var refused = api.get(path, key);
                assertEquals(403, refused.status(), path);
                assertEquals("This API key lacks the 'admin' scope that this endpoint requires", refused.message());
            }
            assertEquals(401, api.get(path, (String) null).status(), path);
        }
    }

    @Test
    void anAdminKeyAloneNeitherReadsAnAccountsOwnAnalyticsNorWrites() {
        assertEquals(403, api.get("/analytics/dashboard", adminKey).status());
        assertEquals(403, api.get("/analytics/tokens/summary", adminKey).status());
        var call = "{\"assistant_id\": \"" + SHARED + "\", \"started_at\": \"2026-03-10T10:00:00Z\"}";
        assertEquals(403, api.send("PUT", "/calls/by-admin", adminKey, call).status());
        assertEquals(403, api.send("POST", "/webhooks/end-call/" + adminKey, null, "{\"data\": " + call + "}").status());
    }

    @Test
    void theDashboardTotalsEveryAccountAndCountsTheActiveOnes() {
        var response = admin("/dashboard?" + MARCH);
        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Admin dashboard fetched successfully', 'data': {
                  'total_calls': 4, 'total_duration_minutes': 20.00, 'total_duration_hours': 0.33, 'avg_duration_minutes': 5.00,
                  'total_active_accounts': 2,
                  'date_range': {'start_date': '2026-03-01T00:00:00.000Z', 'end_date': '2026-03-31T23:59:59.999Z'}}}
                """, response.json());
    }

    @Test
    void callsByAccountIsBusiestFirstWithTheAccountsNames() {
        assertJson("""
                {'success': true, 'message': 'Calls by account fetched successfully', 'data': {'accounts': [
                  {'account_id': '%s', 'account_name': 'Alpha Voice', 'total_calls': 2, 'total_duration_minutes': 15,
                   'total_duration_hours': 0.25, 'avg_duration_minutes': 7.50},
                  {'account_id': '%s', 'account_name': 'Beta Calls', 'total_calls': 2, 'total_duration_minutes': 5,
                   'total_duration_hours': 0.08, 'avg_duration_minutes': 2.50}]}}
                """.formatted(alpha.id(), beta.id()), admin("/calls/by-account?" + MARCH).json());
    }

    @Test
    void numbersAndServicesAreSummedAcrossAccountsAndAccountIdNarrows() {
        assertJson("""
                {'success': true, 'message': 'Calls by phone number fetched successfully', 'data': {'phone_numbers': [
                  {'phone_number': '+100', 'total_calls': 3, 'total_duration_minutes': 15, 'total_duration_hours': 0.25,
                   'avg_duration_minutes': 5},
                  {'phone_number': '+200', 'total_calls': 1, 'total_duration_minutes': 5, 'total_duration_hours': 0.08,
                   'avg_duration_minutes': 5}]}}
                """, admin("/calls/by-phone-number?" + MARCH).json());
        assertJson("""
                {'phone_numbers': [{'phone_number': '+100', 'total_calls': 2, 'total_duration_minutes': 5,
                  'total_duration_hours': 0.08, 'avg_duration_minutes': 2.50}]}
                """, admin("/calls/by-phone-number?" + MARCH + "&account_id=" + beta.id()).data());
        assertJson("""
                {'phone_numbers': [{'phone_number': '+100', 'total_calls': 1, 'total_duration_minutes': 2.5,
                  'total_duration_hours': 0.04, 'avg_duration_minutes': 2.50}]}
                """, admin("/calls/by-phone-number?" + MARCH + "&account_id=" + beta.id() + "&assistant_id=" + SHARED).data());
        assertJson("""
                {'success': true, 'message': 'Calls by service fetched successfully', 'data': {'services': [
                  {'service': 'twilio', 'total_calls': 2, 'total_duration_minutes': 12.5, 'total_duration_hours': 0.21},
                  {'service': 'exotel', 'total_calls': 1, 'total_duration_minutes': 5, 'total_duration_hours': 0.08},
                  {'service': 'unknown', 'total_calls': 1, 'total_duration_minutes': 2.5, 'total_duration_hours': 0.04}]}}
                """, admin("/calls/by-service?" + MARCH).json());
        assertJson("""
                {'services': [{'service': 'twilio', 'total_calls': 1, 'total_duration_minutes': 10, 'total_duration_hours': 0.17},
                              {'service': 'exotel', 'total_calls': 1, 'total_duration_minutes': 5, 'total_duration_hours': 0.08}]}
                """, admin("/calls/by-service?" + MARCH + "&account_id=" + alpha.id()).data());
    }

    @Test
    void tokensAreSummedPerAccountAndPerAssistantOfEachAccount() {
        var summary = admin("/tokens/summary?" + MARCH).data();
        assertEquals(3, summary.get("total_records").asInt());
        assertEquals(500, summary.get("total_llm_tokens").asInt());
        assertEquals(200, admin("/tokens/summary?" + MARCH + "&account_id=" + beta.id()).data().get("total_llm_tokens").asInt());
        assertEquals(100, admin("/tokens/summary?" + MARCH + "&account_id=" + beta.id() + "&assistant_id=" + ONLY_BETA)
                .data().get("total_llm_tokens").asInt());
        assertJson("""
                {'success': true, 'message': 'Token usage by account fetched successfully', 'data': {'accounts': [
                  {'account_id': '%s', 'account_name': 'Alpha Voice', 'total_calls': 1, 'total_llm_tokens': 300,
                   'total_llm_input_audio_tokens': 0, 'total_llm_output_text_tokens': 0, 'total_tts_characters': 30,
                   'total_tts_audio_duration': 0, 'total_stt_audio_duration': 0, 'total_call_duration_minutes': 10,
                   'total_call_duration_hours': 0.17},
                  {'account_id': '%s', 'account_name': 'Beta Calls', 'total_calls': 2, 'total_llm_tokens': 200,
                   'total_llm_input_audio_tokens': 0, 'total_llm_output_text_tokens': 0, 'total_tts_characters': 20,
                   'total_tts_audio_duration': 0, 'total_stt_audio_duration': 0, 'total_call_duration_minutes': 5,
                   'total_call_duration_hours': 0.08}]}}
                """.formatted(alpha.id(), beta.id()), admin("/tokens/by-account?" + MARCH).json());
        // the same assistant id in two accounts is two assistants; ties by assistant_id
        var assistants = admin("/tokens/by-assistant?" + MARCH).data().get("assistants");
        assertEquals(List.of(alpha.id() + " " + SHARED + " 300", beta.id() + " " + SHARED + " 100", beta.id() + " " + ONLY_BETA + " 100"),
                     StreamSupport.stream(assistants.spliterator(), false)
                             .map(a -> a.get("account_id").asText() + " " + a.get("assistant_id").asText() + " " + a.get("total_llm_tokens").asInt())
                             .toList());
        assertEquals(2, admin("/tokens/by-assistant?" + MARCH + "&account_id=" + beta.id()).data().get("assistants").size());
    }

    @Test
    void anAccountOrAssistantThatDoesNotExistIsA404() {
        for (var route : List.of("/calls/by-phone-number", "/calls/by-service", "/tokens/summary", "/tokens/by-assistant")) {
            for (var account : List.of(UUID.randomUUID().toString(), "not-an-account")) {
                var response = admin(route + "?account_id=" + account);
                assertEquals(404, response.status(), route);
                assertEquals("Account not found: " + account, response.message());
            }
        }
        // an assistant of another account than the one named
        var response = admin("/tokens/summary?account_id=" + alpha.id() + "&assistant_id=" + ONLY_BETA);
        assertEquals(404, response.status());
        assertEquals("Assistant not found: " + ONLY_BETA, response.message());
        assertEquals(200, admin("/calls/by-service?assistant_id=" + ONLY_BETA).status());
        assertEquals(400, admin("/dashboard?start_date=yesterday").status());
        assertEquals(405, api.send("DELETE", "/admin/analytics/dashboard", adminKey, null).status());
    }
}
