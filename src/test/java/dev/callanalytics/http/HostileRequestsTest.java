package dev.callanalytics.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.testing.LogCapture;
import dev.callanalytics.testing.RawHttp;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.db.Tables.CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests as an attacker or a broken client sends them, each of which once answered a 500, an
 * empty body, another media type, or something it should not have: every one is now a 4xx in the
 * envelope that says what is wrong, and nothing is written.
 */
class HostileRequestsTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Account account;
    static final UUID ASSISTANT = UUID.randomUUID();

    @BeforeAll
    static void data() {
        account = api.newAccount("hostile");
        api.calls(account).add(ASSISTANT, Instant.parse("2005-06-20T00:00:00Z"), "2");
        api.calls(account).add(ASSISTANT, Instant.parse("2005-06-19T12:00:00Z"), "3");
    }

    static void assertEnvelope(RawHttp.Response response, int status, String message) {
        assertEquals(status, response.status(), response.toString());
        assertEquals("application/json", response.headers().get("content-type"), response.toString());
        var json = response.json();
        assertNotNull(json, "the body is JSON: " + response);
        assertFalse(json.get("success").asBoolean());
        assertTrue(json.get("data").isNull());
        if (message != null) {
            assertEquals(message, json.get("message").asText());
        }
    }

    static RawHttp.Response raw(String request) {
        return RawHttp.exchange(api.port(), request.replace("KEY", account.readKey()).replace("INGEST", account.ingestKey()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a bad percent-escape | GET /analytics/dashboard?start_date=%ZZ HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer KEY\\r\\n\\r\\n | 400 | Malformed request: the query string has an invalid character or percent-escape
            HTTP/1.0 without Host | GET /analytics/dashboard HTTP/1.0\\r\\n\\r\\n | 400 | HTTP/1.0 is not supported: send HTTP/1.1 requests
            a negative Content-Length | PUT /calls/x HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer INGEST\\r\\nContent-Length: -5\\r\\n\\r\\n | 400 | Malformed request: Content-Length must be a single non-negative integer
            two Content-Lengths | PUT /calls/x HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer INGEST\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\n{} | 400 | Malformed request: Content-Length must be a single non-negative integer
            a malformed chunk size | POST /calls/import HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer INGEST\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nZZZ\\r\\nabc\\r\\n0\\r\\n\\r\\n | 400 | Malformed request: the chunked body is not valid chunked transfer coding
            Content-Length and chunked | POST /calls/import HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer INGEST\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400 | Malformed request: send either Content-Length or Transfer-Encoding, not both
            a coding other than chunked | POST /calls/import HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer INGEST\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n | 400 | Malformed request: the only Transfer-Encoding accepted is chunked
            a method in lower case | get /health/live HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400 | Malformed request line: method names are case-sensitive; send GET, HEAD, PUT or POST in capitals
            a method in mixed case | Put /calls/x HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0\\r\\n\\r\\n | 400 | Malformed request line: method names are case-sensitive; send GET, HEAD, PUT or POST in capitals
            no Host | GET /health/live HTTP/1.1\\r\\n\\r\\n | 400 | Malformed request: the Host header is missing or invalid
            a bad escape in the path | PUT /calls/a%ZZ HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer INGEST\\r\\nContent-Length: 2\\r\\n\\r\\n{} | 400 | Malformed HTTP request: the request line, a header (or all of them: at most 16384 bytes) or the body's framing is not valid HTTP/1.1
            """)
    void brokenFramingIsA4xxEnvelope(String what, String request, int status, String message) {
        assertEnvelope(raw(request.replace("\\r\\n", "\r\n")), status, message);
    }

    @Test
    void aTenKilobyteRequestLineIsA414AndTwentyKilobytesOfHeadersA431() {
        assertEnvelope(raw("GET /analytics/dashboard?x=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                       "Request line too long: method, path and query must fit in 4096 bytes");
        assertEnvelope(raw("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(20_000) + "\r\n\r\n"), 431,
                       "Request headers too large: at most 16384 bytes in all");
    }

    @Test
    void headIsGetWithoutTheBodyAndANoBodyAnswerElsewhere() {
        var get = raw("GET /analytics/dashboard?start_date=2005-06-01&end_date=2005-06-30 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEY\r\n\r\n");
        var head = raw("HEAD /analytics/dashboard?start_date=2005-06-01&end_date=2005-06-30 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEY\r\n\r\n");
        assertEquals(200, head.status());
        assertEquals(String.valueOf(get.body().length), head.headers().get("content-length"));
        assertEquals("application/json", head.headers().get("content-type"));
        assertEquals(0, head.body().length);

        var headImport = raw("HEAD /calls/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer INGEST\r\n\r\n");
        assertEquals(405, headImport.status());
        assertEquals("POST", headImport.headers().get("allow"));
        assertEquals(0, headImport.body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/csv", "text/html", "application/xml", "image/png;q=1"})
    void anotherMediaTypeIsA406InJsonWithOrWithoutAKey(String accept) {
        for (var key : new String[]{account.readKey(), null}) {
            var request = HttpRequest.newBuilder(api.uri("/analytics/dashboard")).header("Accept", accept);
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            var response = api.sendRaw(request);
            assertEquals(406, response.status(), response.body());
            assertEquals("This endpoint answers in application/json only: send Accept: application/json, */*, or no Accept header",
                         response.message());
        }
        var browser = api.sendRaw(HttpRequest.newBuilder(api.uri("/analytics/dashboard"))
                                             .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                                             .header("Authorization", "Bearer " + account.readKey()));
        assertEquals(200, browser.status(), "a browser's Accept admits JSON");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"start_date=-5000-01-01", "end_date=%2B300000-01-01", "start_date=0000-12-31", "end_date=10000-01-01",
                            "start_date=0001-01-01T00:00:00%2B01:00", "start_date=9999-12-31T23:59:59.9999999Z"})
    void aDateOutsideYearsOneToNineThousandNineHundredNinetyNineIsA400OnEveryReadEndpoint(String parameter) {
        var name = parameter.substring(0, parameter.indexOf('='));
        for (var path : ErrorResponsesTest.READ_ENDPOINTS) {
            var response = api.get(path.replace("550e8400-e29b-41d4-a716-446655440000", ASSISTANT.toString()) + "?" + parameter, account);
            assertEquals(400, response.status(), path + " " + response.body());
            assertTrue(response.message().startsWith("Invalid " + name + " '"), response.message());
            // a five-digit year without its sign is not ISO 8601 at all; the others are out of range
            assertTrue(response.message().endsWith("': dates must be within years 0001 to 9999 (UTC)")
                       || parameter.contains("10000") && response.message().contains("': use ISO 8601"), response.message());
        }
    }

    @Test
    void theEdgesOfTheRangeAreServed() {
        var response = api.get("/analytics/dashboard?start_date=0001-01-01&end_date=9999-12-31T23:59:59.9999999Z", account);
        assertEquals(200, response.status(), response.body());
        assertEquals(api.ctx().fetchCount(CALLS, CALLS.ACCOUNT_ID.eq(account.id())), response.data().get("total_calls").asInt());
        assertEquals(200, api.get("/analytics/calls/by-time?granularity=week&start_date=0001-01-01T00:00:00Z&end_date=0001-01-05", account).status());
        assertEquals(200, api.get("/analytics/dashboard?end_date=0001-01-10", account).status(), "the default start is not before year 1");
    }

    @Test
    void anInclusiveEndWithSevenFractionalDigitsDoesNotReachMidnight() {
        var end = "end_date=" + URLEncoder.encode("2005-06-19T23:59:59.9999999Z", StandardCharsets.UTF_8);
        var dashboard = api.get("/analytics/dashboard?start_date=2005-06-19&" + end, account);
        assertEquals(1, dashboard.data().get("total_calls").asInt(), "the call at 2005-06-20T00:00:00Z is not in range");
        var logs = api.get("/assistant/call-logs/" + ASSISTANT + "?" + end, account);
        assertEquals(1, logs.data().get("pagination").get("total").asInt());
        assertEquals("2005-06-19T12:00:00.000Z", logs.data().get("logs").get(0).get("started_at").asText());
        // and a start a tenth of a microsecond after midnight does not include the midnight call
        var start = api.get("/analytics/dashboard?end_date=2005-06-20T01:00:00Z&start_date="
                            + URLEncoder.encode("2005-06-20T00:00:00.0000001Z", StandardCharsets.UTF_8), account);
        assertEquals(0, start.data().get("total_calls").asInt());
    }

    @Test
    void aSemicolonInARoomNameIsPartOfTheName() {
        var body = "{\"assistant_id\": \"" + ASSISTANT + "\", \"started_at\": \"2006-01-01T00:00:00Z\"}";
        assertEquals(201, api.send("PUT", "/calls/abc;x=1", account.ingestKey(), body).status());
        assertEquals(201, api.send("PUT", "/calls/abc", account.ingestKey(), body).status(), "room abc was not overwritten: it is new");
        var rooms = api.ctx().select(CALLS.ROOM_NAME).from(CALLS)
                       .where(CALLS.ACCOUNT_ID.eq(account.id()).and(CALLS.ROOM_NAME.like("abc%")))
                       .orderBy(CALLS.ROOM_NAME).fetch(CALLS.ROOM_NAME);
        assertEquals(List.of("abc", "abc;x=1"), rooms);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /analytics/dashboard;x=1", "GET /calls;x=1", "GET /calls/export;x=1", "GET /calls/export;format=ndjson",
                            "POST /calls/import;x=1", "POST /analytics/query;x=1", "GET /health/ready;x=1", "GET /openapi.yaml;v=2"})
    void aSemicolonInAFixedPathMakesItAnotherPath(String request) {
        var method = request.substring(0, request.indexOf(' '));
        var path = request.substring(method.length() + 1);
        var body = method.equals("GET") ? null : "{\"room_name\": \"semicolon\", \"assistant_id\": \"" + ASSISTANT
                                                + "\", \"started_at\": \"2006-02-01T00:00:00Z\"}\n";
        var key = method.equals("POST") && path.startsWith("/calls") ? account.ingestKey() : account.readKey();
        var response = api.send(method, path, key, body);
        assertEquals(404, response.status(), response.body());
        assertEquals("No such endpoint: " + request, response.message());
        var imported = CALLS.ACCOUNT_ID.eq(account.id()).and(CALLS.STARTED_AT.eq(OffsetDateTime.parse("2006-02-01T00:00:00Z")));
        assertEquals(0, api.ctx().fetchCount(CALLS, imported), "nothing was imported");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/WEBHOOKS/end-call/", "/webhooks/END-CALL/", "/Webhooks/End-Call/", "/%77ebhooks/end-call/",
                            "/webhooks/end-call/x/", "/webhooks/end-call%2F", "/api/", "/calls/import/"})
    void aKeyInAnyPathIsNeverEchoedNorLogged(String prefix) {
        var key = account.ingestKey();
        for (var spelling : List.of(key, key.toUpperCase(), URLEncoder.encode(key, StandardCharsets.UTF_8).replace("_", "%5F"))) {
            try (var logs = LogCapture.of("call-analytics.access")) {
                var response = raw("POST " + prefix + spelling + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
                assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
                var secret = key.substring(3);
                assertFalse(response.text().contains(secret) || response.text().toUpperCase().contains(secret.toUpperCase()),
                            "the key is not in the answer: " + response.text());
                var logged = String.join("\n", logs.messages());
                assertFalse(logged.contains(secret) || logged.toUpperCase().contains(secret.toUpperCase()), logged);
            }
        }
    }

    @Test
    void aPastedKeyInAParameterIsNotEchoed() {
        var response = api.get("/analytics/calls/by-time?assistant_id=" + account.readKey(), account);
        assertEquals(404, response.status());
        assertEquals("Assistant not found: ca_<redacted>", response.message());
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
