package dev.callanalytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.TRANSCRIPTS;
import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /calls/import: newline-delimited JSON, all or nothing by default, counted and streamed. */
class ImportTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final UUID ASSISTANT = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    @RegisterExtension
    static final TestApi api = TestApi.start();

    static String line(String room, String status, String minutes) {
        return "{\"room_name\": \"" + room + "\", \"assistant_id\": \"" + ASSISTANT + "\", \"assistant_name\": \"Bot\","
               + " \"started_at\": \"2026-03-10T09:00:00Z\", \"call_status\": \"" + status + "\","
               + " \"call_duration_minutes\": " + minutes + ", \"platform_number\": \"+15550001111\","
               + " \"transcripts\": [{\"speaker\": \"agent\", \"text\": \"hi " + room + "\", \"timestamp\": \"2026-03-10T09:00:01Z\"}]}";
    }

    static TestApi.Response importLines(Account account, String query, String body) {
        return api.send("POST", "/calls/import" + query, account.ingestKey(), body);
    }

    static int calls(Account account) {
        return api.ctx().fetchCount(CALLS, CALLS.ACCOUNT_ID.eq(account.id()));
    }

    static void assertCounts(JsonNode data, int received, int inserted, int updated, int unchanged, int ignored, int rejected) {
        assertEquals(List.of(received, inserted, updated, unchanged, ignored, rejected),
                     Stream.of("received", "inserted", "updated", "unchanged", "ignored", "rejected")
                           .map(name -> data.get(name).asInt()).toList());
    }

    /** Each expected error as "line room_name error". */
    static void assertErrors(JsonNode data, String... expected) {
        var actual = new ArrayList<String>();
        data.get("errors").forEach(e -> actual.add(e.get("line").asInt() + " " + e.get("room_name").asText() + " " + e.get("error").asText()));
        assertEquals(List.of(expected), actual);
    }

    @Test
    void anImportCountsWhatHappenedToEachCall() {
        var account = api.newAccount("counts");
        var first = String.join("\n", line("a", "completed", "1"), line("b", "answered", "2"), line("c", "completed", "3"));
        assertJson("""
                {'success': true, 'message': 'Import finished: 3 received, 3 inserted, 0 updated, 0 unchanged, 0 ignored, 0 rejected',
                 'data': {'received': 3, 'inserted': 3, 'updated': 0, 'unchanged': 0, 'ignored': 0, 'rejected': 0, 'errors': []}}
                """, importLines(account, "", first + "\n").json());

        // a: same again; b: now completed; c: a stale 'answered'; d: new. Blank lines and CRLF are fine.
        var second = String.join("\r\n", line("a", "completed", "1"), line("b", "completed", "2.5"), "",
                                 line("c", "answered", "9"), line("d", "failed", "0"));
        var response = importLines(account, "", second);

        assertEquals(200, response.status(), response.body());
        assertJson("{'received': 4, 'inserted': 1, 'updated': 1, 'unchanged': 1, 'ignored': 1, 'rejected': 0, 'errors': []}",
                   response.data());
        assertEquals(4, calls(account));
        assertEquals(4, api.ctx().fetchCount(TRANSCRIPTS, TRANSCRIPTS.ACCOUNT_ID.eq(account.id())));
        var dashboard = api.get("/analytics/calls/by-phone-number?start_date=2026-03-01&end_date=2026-03-31", account).data();
        assertJson("{'phone_numbers': [{'phone_number': '+15550001111', 'total_calls': 4, 'total_duration_minutes': 6.5,"
                   + " 'total_duration_hours': 0.11, 'avg_duration_minutes': 1.63}]}", dashboard);
    }

    @Test
    void oneBadLineAndNothingIsWrittenWithTheBadLinesListedByNumber() {
        var account = api.newAccount("all or nothing");
        var body = String.join("\n", line("a", "completed", "1"), "{not json", line("b", "completed", "-2"),
                               line("c", "completed", "3"), "{\"assistant_id\": \"" + ASSISTANT + "\", \"started_at\": \"2026-03-10T09:00:00Z\"}");

        var response = importLines(account, "", body);

        assertEquals(400, response.status());
        assertFalse(response.json().get("success").asBoolean());
        assertEquals("Import rejected, nothing was written: 3 invalid line(s) (see data.errors; ?on_error=skip writes the valid ones). "
                     + "5 received, 0 inserted, 0 updated, 0 unchanged, 0 ignored, 3 rejected", response.message());
        assertCounts(response.data(), 5, 0, 0, 0, 0, 3);
        assertErrors(response.data(),
                     "2 null malformed JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name (column 2)",
                     "3 b call_duration_minutes: must not be negative, got -2",
                     "5 null room_name: required");
        assertEquals(0, calls(account));
        assertEquals(0, api.ctx().fetchCount(TRANSCRIPTS, TRANSCRIPTS.ACCOUNT_ID.eq(account.id())));
    }

    @Test
    void withOnErrorSkipTheGoodLinesAreWrittenAndTheBadReported() {
        var account = api.newAccount("skip");
        var body = String.join("\n", line("a", "completed", "1"), line("b", "ringing", "2"), line("c", "completed", "3"));

        var response = importLines(account, "?on_error=skip", body);

        assertEquals(200, response.status());
        assertCounts(response.data(), 3, 2, 0, 0, 0, 1);
        assertErrors(response.data(), "2 b call_status: 'ringing' is not one of initiated, answered, completed, busy, "
                                      + "no_answer, rejected, cancelled, unreachable, timeout, failed");
        assertEquals(2, calls(account));
        assertEquals(400, importLines(account, "?on_error=maybe", body).status());
    }

    @Test
    void atMostAHundredBadLinesAreListedButAllAreCounted() {
        var account = api.newAccount("many errors");
        var body = IntStream.rangeClosed(1, 150).mapToObj(i -> "[" + i + "]").collect(Collectors.joining("\n"));
        var response = importLines(account, "?on_error=skip", body);
        assertEquals(150, response.data().get("rejected").asInt());
        assertEquals(100, response.data().get("errors").size());
        assertEquals(100, response.data().get("errors").get(99).get("line").asInt());
        assertEquals("the call must be a JSON object", response.data().get("errors").get(0).get("error").asText());
    }

    @Test
    void aLineOverOneMebibyteIsRejectedWithoutBufferingIt() {
        var account = api.newAccount("long line");
        var body = line("a", "completed", "1") + "\n{\"room_name\": \"" + "x".repeat(NdjsonImport.MAX_LINE_BYTES) + "\"}\n" + line("c", "completed", "1");
        var response = importLines(account, "?on_error=skip", body);
        assertJson("{'received': 3, 'inserted': 2, 'updated': 0, 'unchanged': 0, 'ignored': 0, 'rejected': 1,"
                   + " 'errors': [{'line': 2, 'room_name': null, 'error': 'line is longer than 1048576 bytes'}]}", response.data());
    }

    @Test
    void repeatedReportsOfOneCallInAnImportEndAtItsTerminalStatus() {
        var account = api.newAccount("repeats");
        var body = String.join("\n", line("a", "initiated", "0"), line("a", "completed", "4"), line("a", "answered", "1"));
        var response = importLines(account, "", body);
        assertEquals(200, response.status(), response.body());
        assertEquals(1, response.data().get("inserted").asInt());
        assertEquals(1, calls(account));
        var call = api.ctx().fetchSingle(CALLS, CALLS.ACCOUNT_ID.eq(account.id()));
        assertEquals("completed", call.getCallStatus());
        assertEquals(0, call.getCallDurationMinutes().compareTo(java.math.BigDecimal.valueOf(4)));
    }

    /** Another session of the test database is running a statement or holds a transaction open. */
    static boolean databaseBusy() {
        return api.ctx().fetchExists(api.ctx().selectOne()
                .from("pg_stat_activity")
                .where("datname = current_database() and pid <> pg_backend_pid()")
                .and("state in ('active', 'idle in transaction')"));
    }

    /** The import spool files in the server's spool directory. */
    static long spoolFiles() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(api.settings().spoolDirectory())) {
            return files.filter(f -> f.getFileName().toString().startsWith("call-analytics-import-")).count();
        }
    }

    @Test
    void aClientThatStallsMidImportHoldsNoConnectionAndOneThatDisconnectsLeavesNothingBehind() throws Exception {
        var account = api.newAccount("disconnect");
        var lines = IntStream.range(0, 6000).mapToObj(i -> line("r" + i, "completed", "1")).collect(Collectors.joining("\n"));
        var sent = lines.getBytes(StandardCharsets.UTF_8);
        long spooledBefore = spoolFiles();
        try (var socket = new Socket("localhost", api.uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /calls/import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + account.ingestKey()
                       + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + (sent.length * 2) + "\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            // Half the promised body is sent: the server spools it to disk and waits for the rest,
            // with no transaction open and no statement running for it.
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> spoolFiles() > spooledBefore), "the import is being spooled");
            assertFalse(databaseBusy(), "a stalled upload holds no database session");
        }
        // The client is gone: the server must notice and throw the spool away.
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> spoolFiles() == spooledBefore), "the spool is deleted");
        assertEquals(0, calls(account));
        var after = importLines(account, "", line("ok", "completed", "1"));
        assertEquals(200, after.status(), "the server is fine afterwards");
        assertEquals(1, calls(account));
    }
}
