package dev.callanalytics.http;

import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import dev.callanalytics.testing.TestApi.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static dev.callanalytics.db.Tables.API_KEYS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 400, 401, 403, 404 and 405, each in the envelope with a message that says what to fix. */
class ErrorResponsesTest {

    static final String[] READ_ENDPOINTS = {
            "/analytics/dashboard", "/analytics/calls/by-assistant", "/analytics/calls/by-phone-number",
            "/analytics/calls/by-time", "/assistant/call-logs/550e8400-e29b-41d4-a716-446655440000"};

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Account account;
    static UUID assistant = UUID.randomUUID();

    @BeforeAll
    static void start() {
        account = api.newAccount("errors");
        api.calls(account).add(assistant, Instant.now().minusSeconds(3600), "1");
    }

    static void assertError(Response response, int status, String message) {
        assertEquals(status, response.status(), response.body());
        assertFalse(response.json().get("success").asBoolean());
        assertTrue(response.json().get("data").isNull(), response.body());
        assertEquals(message, response.message());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /analytics/dashboard?start_date=yesterday | Invalid start_date 'yesterday': use ISO 8601, such as 2026-03-01, 2026-03-01T00:00:00Z or 2026-03-01T05:30:00+05:30
            /analytics/calls/by-assistant?end_date=2026-02-30 | Invalid end_date '2026-02-30': use ISO 8601, such as 2026-03-01, 2026-03-01T00:00:00Z or 2026-03-01T05:30:00+05:30
            /analytics/calls/by-phone-number?start_date=2026-03-02&end_date=2026-03-01 | start_date (2026-03-02T00:00:00.000Z) is after end_date (2026-03-01T23:59:59.999Z)
            /analytics/calls/by-time?granularity=year | Invalid granularity 'year': use day, week or month
            /analytics/calls/by-time?granularity=Week | Invalid granularity 'Week': use day, week or month
            /assistant/call-logs/{assistant}?page=0 | Invalid page '0': must be an integer of at least 1
            /assistant/call-logs/{assistant}?page=two | Invalid page 'two': must be an integer of at least 1
            /assistant/call-logs/{assistant}?limit=0 | Invalid limit '0': must be an integer from 1 to 100
            /assistant/call-logs/{assistant}?limit=101 | Invalid limit '101': must be an integer from 1 to 100
            /assistant/call-logs/{assistant}?sort_by=room_name | Invalid sort_by 'room_name': use one of started_at, ended_at, call_duration_minutes, call_cost
            /assistant/call-logs/{assistant}?sort_order=up | Invalid sort_order 'up': use asc or desc
            /assistant/call-logs/{assistant}?start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z | start_date (2026-03-02T00:00:00.000Z) is after end_date (2026-03-01T00:00:00.000Z)
            """)
    void aParameterThatCannotBeUsedIsA400NamingIt(String path, String message) {
        assertError(api.get(path.replace("{assistant}", assistant.toString()), account), 400, message);
    }

    @Test
    void unknownParametersAreIgnoredEmptyOnesAreAbsentAndTheFirstOfARepeatedOneCounts() {
        var path = "/assistant/call-logs/" + assistant;
        assertEquals(200, api.get(path + "?colour=blue&page=&limit=", account).status());
        assertEquals(1, api.get(path + "?limit=1&limit=500", account).data().get("pagination").get("limit").asInt());
        assertEquals(200, api.get("/analytics/calls/by-time?granularity=&start_date=", account).status());
        assertEquals("month", api.get("/analytics/calls/by-time?granularity=month&granularity=fortnight", account)
                                 .data().get("granularity").asText());
    }

    @Test
    void everyReadEndpointRefusesAMissingMalformedUnknownOrRevokedKeyWith401() {
        var revoked = ApiKey.generate();
        var keys = new AccountQueries(api.ctx());
        keys.createKey(account.id(), revoked, Set.of(Scope.READ));
        keys.revokeKey(api.ctx().select(API_KEYS.KEY_ID).from(API_KEYS).where(API_KEYS.KEY_HASH.eq(ApiKey.hash(revoked))).fetchSingle().value1());

        for (var path : READ_ENDPOINTS) {
            assert401(api.sendRaw(HttpRequest.newBuilder(api.uri(path))), "Missing Authorization header: send 'Authorization: Bearer <api key>'");
            assert401(api.sendRaw(HttpRequest.newBuilder(api.uri(path)).header("Authorization", "Basic dXNlcjpwYXNz")),
                      "Malformed Authorization header: expected 'Bearer <api key>'");
            assert401(api.sendRaw(HttpRequest.newBuilder(api.uri(path)).header("Authorization", "Bearer")),
                      "Malformed Authorization header: expected 'Bearer <api key>'");
            assert401(api.get(path, "ca_not-a-key"), "Invalid or revoked API key");
            assert401(api.get(path, revoked), "Invalid or revoked API key");
        }
    }

    private static void assert401(Response response, String message) {
        assertError(response, 401, message);
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertFalse(response.body().contains("ca_"), "a 401 never echoes a key");
    }

    @Test
    void aKeyWithoutTheReadScopeIsA403OnEveryReadEndpoint() {
        for (var path : READ_ENDPOINTS) {
            assertError(api.get(path, account.ingestKey()), 403, "This API key lacks the 'read' scope that this endpoint requires");
        }
    }

    @Test
    void anUnknownRouteIsA404AndAKnownPathWithAnotherMethodIsA405WithAllow() {
        assertError(api.get("/analytics/calls/by-day", account), 404, "No such endpoint: GET /analytics/calls/by-day");
        assertError(api.get("/analytics", account), 404, "No such endpoint: GET /analytics");
        for (var path : READ_ENDPOINTS) {
            var response = api.send("POST", path, account.readKey(), "{}");
            assertError(response, 405, "Method POST is not allowed on " + path + ": use GET");
            assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(null));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "550e8400e29b41d4a716446655440000", "00000000-0000-0000-0000-000000000000"})
    void anAssistantThatCannotBeTheCallersIsA404(String assistantId) {
        assertError(api.get("/assistant/call-logs/" + assistantId, account), 404, "Assistant not found: " + assistantId);
        assertError(api.get("/analytics/calls/by-time?assistant_id=" + assistantId, account), 404, "Assistant not found: " + assistantId);
        assertError(api.get("/analytics/calls/by-phone-number?assistant_id=" + assistantId, account), 404, "Assistant not found: " + assistantId);
    }
}
