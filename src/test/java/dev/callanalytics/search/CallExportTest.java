package dev.callanalytics.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callanalytics.testing.Csv;
import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.callanalytics.testing.Calls.utc;
import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /calls/export: the rows of the search as RFC 4180 CSV (formula cells neutralised) or
 * NDJSON, chosen by format or Accept; and what an export may hold: a client that goes away or
 * stalls frees its connection at once or within the stall limit, an export past its time limit
 * is cut off, one at a time per account. A cut-off export ends without its last chunk.
 */
class CallExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ASSISTANT = UUID.fromString("e0e0e0e0-0000-4000-8000-000000000001");
    /** Enough rows that an export takes far longer than the socket buffers can hide (about 30 MB). */
    private static final int BULK = 200_000;

    @RegisterExtension
    static final TestApi api = TestApi.start();
    /** A stall limit of 1 s. */
    @RegisterExtension
    static final TestApi limited = TestApi.start(Map.of("EXPORT_STALL_SECONDS", "1"));
    /**
     * 3 s in all for an export, and a stall limit well above what a steady reader makes a write
     * wait: Linux wakes a blocked writer only once half its send buffer (megabytes) has drained.
     */
    @RegisterExtension
    static final TestApi shortLived = TestApi.start(Map.of("EXPORT_STALL_SECONDS", "20", "EXPORT_TIME_LIMIT_SECONDS", "3"));

    static Account tricky;
    static Account bulk;
    static Account limitedBulk;
    static Account shortLivedBulk;

    @BeforeAll
    static void fixture() {
        tricky = api.newAccount("tricky cells");
        var calls = api.calls(tricky);
        var at = Instant.parse("2026-08-01T10:00:00Z");
        calls.add(ASSISTANT, at, "3.5", c -> c.setRoomName("plain").setAssistantName("Sales Bot").setCallCost(new BigDecimal("0.0420"))
                                             .setAnsweredAt(utc(at.plusSeconds(2))).setEndedAt(utc(at.plusSeconds(212))));
        calls.add(ASSISTANT, at.plusSeconds(60), null, c -> c.setRoomName("quotes, commas").setAssistantName("Sales, \"Prime\"")
                                                           .setCallStatus("busy").setCallStatusReason("line one\r\nline two")
                                                           .setSipStatusCode(486).setSipStatusText("=HYPERLINK(\"http://evil\")"));
        calls.add(ASSISTANT, at.plusSeconds(120), "0", c -> c.setRoomName("-2+3").setAssistantName("@SUM(A1)").setToNumber("+919812345678")
                                                           .setRecordingPath("\tTAB").setCallStatusReason("\rCR"));
        calls.add(ASSISTANT, at.plusSeconds(180), "1", c -> c.setRoomName("unicode").setAssistantName("सहायक ✓").setToNumber(null));
        bulk = api.newAccount("bulk");
        insertBulk(api, bulk);
        limitedBulk = limited.newAccount("bulk");
        insertBulk(limited, limitedBulk);
        shortLivedBulk = shortLived.newAccount("bulk");
        insertBulk(shortLived, shortLivedBulk);
    }

    private static void insertBulk(TestApi server, Account account) {
        server.ctx().execute("""
                insert into calls (account_id, room_name, assistant_id, assistant_name, call_type, call_service, platform_number,
                                   to_number, call_status, started_at, call_duration_minutes, call_cost, recording_path)
                select ?, 'bulk-' || g, ?, 'Bulk Bot', 'outbound', 'exotel', '+918065550101', '+9198' || (10000000 + g), 'completed',
                       timestamptz '2026-01-01' + g * interval '1 second', 1.5, 0.02, 'https://recordings.example/bulk/' || g || '.ogg'
                from generate_series(1, ?) g
                """, account.id(), ASSISTANT, BULK);
    }

    @Test
    void csvHasAHeaderAndTheRowsOfTheSearchQuotedAndNeutralised() {
        var response = api.get("/calls/export", tricky);

        assertEquals(200, response.status());
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.headers().firstValue("Content-Disposition").orElseThrow().matches("attachment; filename=\"calls-\\d{4}-\\d{2}-\\d{2}\\.csv\""));
        var rows = Csv.parse(response.body());
        assertEquals(List.of("room_name", "assistant_id", "assistant_name", "to_number", "call_status", "call_status_reason",
                             "sip_status_code", "sip_status_text", "answered_at", "started_at", "ended_at", "call_duration_minutes",
                             "recording_path", "call_cost"), rows.getFirst());
        assertTrue(response.body().endsWith("\r\n") && response.body().split("\r\n", -1).length > rows.size(), "CRLF line ends");
        var found = api.get("/calls?limit=100", tricky).data().get("calls");
        assertEquals(found.size(), rows.size() - 1);
        for (int i = 0; i < found.size(); i++) {
            Csv.assertRowIs(rows.getFirst(), rows.get(i + 1), found.get(i));
        }
        // what a spreadsheet would run is text
        assertTrue(response.body().contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","), response.body());
        assertTrue(response.body().contains("'-2+3,"), response.body());
        assertTrue(response.body().contains(",'@SUM(A1),"), response.body());
        assertTrue(response.body().contains(",'+919812345678,"), response.body());
        assertTrue(response.body().contains("\"line one\r\nline two\""), response.body());
    }

    @Test
    void ndjsonIsOneRecordALineByAcceptOrFormat() throws Exception {
        var found = api.get("/calls", tricky).data().get("calls");
        for (var accept : List.of("application/x-ndjson", "application/ndjson", "text/csv;q=0.5, application/x-ndjson")) {
            var response = api.sendRaw(HttpRequest.newBuilder(api.uri("/calls/export")).header("Accept", accept)
                                                  .header("Authorization", "Bearer " + tricky.readKey()));
            assertEquals(200, response.status(), accept);
            assertEquals("application/x-ndjson; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow(), accept);
            assertLinesAre(found, response.body());
        }
        var byFormat = api.sendRaw(HttpRequest.newBuilder(api.uri("/calls/export?format=ndjson")).header("Accept", "text/csv")
                                              .header("Authorization", "Bearer " + tricky.readKey()));
        assertLinesAre(found, byFormat.body());
        assertTrue(byFormat.headers().firstValue("Content-Disposition").orElseThrow().endsWith(".ndjson\""));
    }

    private static void assertLinesAre(JsonNode found, String body) throws IOException {
        var lines = body.split("\n");
        assertEquals(found.size(), lines.length);
        assertTrue(body.endsWith("\n"));
        for (int i = 0; i < lines.length; i++) {
            var expected = (ObjectNode) found.get(i).deepCopy();
            expected.remove("transcripts");
            assertJson(expected, JSON.readTree(lines[i]));
        }
    }

    @Test
    void filtersAndOrderAreTheSearchs() {
        var path = "call_status=completed&max_call_duration_minutes=2&sort_order=asc";
        var rows = Csv.parse(api.get("/calls/export?" + path, tricky).body());
        var found = api.get("/calls?" + path, tricky).data().get("calls");
        assertEquals(found.size(), rows.size() - 1);
        assertEquals(2, found.size());
        for (int i = 0; i < found.size(); i++) {
            Csv.assertRowIs(rows.getFirst(), rows.get(i + 1), found.get(i));
        }
        var rejected = api.get("/calls/export?call_status=maybe", tricky);
        assertEquals(400, rejected.status());
        assertEquals("application/json", rejected.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void negotiationHeadAndTheMethodsOfThePath() {
        var jsonOnly = api.sendRaw(HttpRequest.newBuilder(api.uri("/calls/export")).header("Accept", "application/json")
                                              .header("Authorization", "Bearer " + tricky.readKey()));
        assertEquals(406, jsonOnly.status());
        assertEquals("This endpoint answers text/csv or application/x-ndjson: send one of them in Accept, or use format=csv or"
                     + " format=ndjson", jsonOnly.message());
        assertEquals("Invalid format 'xml': use csv or ndjson", api.get("/calls/export?format=xml", tricky).message());

        var head = api.sendRaw(HttpRequest.newBuilder(api.uri("/calls/export?format=ndjson")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                                          .header("Authorization", "Bearer " + tricky.readKey()));
        assertEquals(200, head.status());
        assertEquals("application/x-ndjson; charset=utf-8", head.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("", head.body());

        var post = api.send("POST", "/calls/export", tricky.readKey(), "{}");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD, PUT", post.headers().firstValue("Allow").orElseThrow());
        // a room may still be named export
        var report = "{\"assistant_id\": \"" + ASSISTANT + "\", \"started_at\": \"2026-08-02T10:00:00Z\"}";
        var account = api.newAccount("room named export");
        assertEquals(201, api.send("PUT", "/calls/export", account.ingestKey(), report).status());
        assertEquals("export", api.get("/calls", account).data().get("calls").get(0).get("room_name").asText());

        assertEquals(401, api.get("/calls/export", (String) null).status());
        assertEquals(403, api.get("/calls/export", tricky.ingestKey()).status());
    }

    @Test
    void theWholeAccountStreamsAndEveryRowIsThere() {
        var response = api.get("/calls/export?format=csv", bulk);
        assertEquals(200, response.status());
        var lines = response.body().split("\r\n");
        assertEquals(BULK + 1, lines.length);
        assertTrue(lines[1].startsWith("bulk-" + BULK + ","), "newest first: " + lines[1]);
        assertTrue(lines[BULK].startsWith("bulk-1,"), lines[BULK]);
    }

    @Test
    void aClientThatGoesAwayEndsTheQueryAtOnceAndASecondExportOfTheAccountWaitsItsTurn() throws Exception {
        try (var socket = exportRequest(api, bulk)) {
            var in = socket.getInputStream();
            assertTrue(new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
            Eventually.await(Duration.ofSeconds(5), () -> api.pools().exports().inUse() == 1);

            var second = api.get("/calls/export", bulk);
            assertEquals(429, second.status());
            assertEquals("5", second.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("An export of this account is already running: retry when it has finished", second.message());
            assertEquals(200, api.get("/calls/export", tricky).status(), "another account exports meanwhile");
        }
        // the socket is closed: within moments the query is gone and its connection back in the pool
        Eventually.await(Duration.ofSeconds(3), () -> api.pools().exports().inUse() == 0 && exportBackendsBusy(api) == 0);
        assertEquals(200, api.get("/calls/export?call_status=failed", bulk).status(), "and the account may export again");
    }

    @Test
    void aClientThatTakesNothingIsCutOffAfterTheStallLimitAndSeesABrokenTransfer() throws Exception {
        try (var socket = exportRequest(limited, limitedBulk)) {
            Eventually.await(Duration.ofSeconds(5), () -> limited.pools().exports().inUse() == 1);
            long stalled = System.nanoTime();
            // read nothing: the server's writes fill the socket buffers and block
            Eventually.await(Duration.ofSeconds(10), () -> limited.pools().exports().inUse() == 0);
            assertTrue(Duration.ofNanos(System.nanoTime() - stalled).compareTo(Duration.ofMillis(900)) > 0, "not before the limit");
            assertEquals(0, exportBackendsBusy(limited));
            var body = drain(socket.getInputStream());
            assertFalse(endsWithTheLastChunk(body), "a cut-off export must not look whole");
        }
    }

    @Test
    void anExportPastItsTimeLimitIsCutOffThoughItsClientReads() throws Exception {
        try (var socket = exportRequest(shortLived, shortLivedBulk, 256 * 1024)) {
            var in = socket.getInputStream();
            var body = new ByteArrayOutputStream();
            Eventually.await(Duration.ofSeconds(5), () -> shortLived.pools().exports().inUse() == 1);
            long started = System.nanoTime();
            var buffer = new byte[32 * 1024];
            // a steady reader, never stalled: 640 KiB/s, at which the 30 MB would take most of a minute
            while (shortLived.pools().exports().inUse() == 1) {
                int n = in.read(buffer);
                assertTrue(n >= 0, "the export ended before it was cut off");
                body.write(buffer, 0, n);
                Thread.sleep(50); // the reader's pace, bounded by the server's time limit (checked below)
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(15).toNanos(), "the export must be cut off");
            }
            var cutAfter = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(cutAfter.compareTo(Duration.ofMillis(2500)) > 0, "not before the limit: " + cutAfter);
            assertEquals(0, exportBackendsBusy(shortLived));
            // what the kernel still held arrives, then the end: without the last chunk
            body.write(drain(in).getBytes(StandardCharsets.ISO_8859_1));
            assertFalse(endsWithTheLastChunk(body.toString(StandardCharsets.ISO_8859_1)));
            assertTrue(body.size() < 30_000_000, "cut off well before the end: " + body.size() + " bytes");
        }
    }

    /** Sends GET /calls/export on a socket with a small receive buffer and returns it unread. */
    private static Socket exportRequest(TestApi server, Account account) throws IOException {
        return exportRequest(server, account, 4096);
    }

    private static Socket exportRequest(TestApi server, Account account, int receiveBuffer) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new java.net.InetSocketAddress("localhost", server.port()));
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write(("GET /calls/export HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + account.readKey()
                                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String drain(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // the server closed or reset: what came is the body
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** A chunked body that is whole ends with the zero-length chunk. */
    private static boolean endsWithTheLastChunk(String body) {
        return body.endsWith("\r\n0\r\n\r\n");
    }

    /** Export connections still running a query or holding a transaction open. */
    private static int exportBackendsBusy(TestApi server) {
        return server.ctx().fetchCount(server.ctx().selectFrom("pg_stat_activity")
                                             .where("application_name = 'call-analytics exports'")
                                             .and("state in ('active', 'idle in transaction', 'idle in transaction (aborted)')"));
    }
}
