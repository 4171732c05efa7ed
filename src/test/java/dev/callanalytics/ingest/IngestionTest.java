package dev.callanalytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callanalytics.db.tables.records.CallsRecord;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import dev.callanalytics.testing.TestApi.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.TRANSCRIPTS;
import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PUT /calls/{room_name} and PUT /assistants/{id}: created, updated, unchanged, ignored, refused. */
class IngestionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final TestApi api = TestApi.start();

    static ObjectNode call(UUID assistant, String startedAt, String status) {
        var call = JSON.createObjectNode()
                       .put("assistant_id", assistant.toString())
                       .put("assistant_name", "Support Bot")
                       .put("call_type", "outbound")
                       .put("call_service", "twilio")
                       .put("platform_number", "+15550001111")
                       .put("to_number", "+15557654321")
                       .put("call_status", status)
                       .put("started_at", startedAt);
        return call;
    }

    static Response put(Account account, String room, JsonNode body) {
        return api.send("PUT", "/calls/" + room, account.ingestKey(), body.toString());
    }

    static CallsRecord stored(Account account, String room) {
        return api.ctx().fetchSingle(CALLS, CALLS.ACCOUNT_ID.eq(account.id()).and(CALLS.ROOM_NAME.eq(room)));
    }

    static int storedCalls(Account account) {
        return api.ctx().fetchCount(CALLS, CALLS.ACCOUNT_ID.eq(account.id()));
    }

    @Test
    void aCallIsCreatedThenUpdatedAndTheSameReportTwiceChangesNothing() {
        var account = api.newAccount("put");
        var assistant = UUID.randomUUID();
        var report = call(assistant, "2026-03-10T09:00:00Z", "initiated");

        var created = put(account, "room-1", report);
        assertEquals(201, created.status(), created.body());
        assertJson("{'success': true, 'message': 'Call recorded', 'data': {'room_name': 'room-1', 'result': 'created'}}", created.json());
        var stored = stored(account, "room-1");

        var again = put(account, "room-1", report);
        assertEquals(200, again.status());
        assertJson("{'success': true, 'message': 'Call unchanged: it already holds this report', "
                   + "'data': {'room_name': 'room-1', 'result': 'unchanged'}}", again.json());
        assertEquals(stored, stored(account, "room-1"), "not even received_at moves");

        var completed = report.deepCopy().put("call_status", "completed").put("ended_at", "2026-03-10T09:04:30Z")
                              .put("call_duration_minutes", 4.5).put("call_cost", 0.0375);
        var updated = put(account, "room-1", completed);
        assertEquals(200, updated.status());
        assertEquals("updated", updated.data().get("result").asText());
        var row = stored(account, "room-1");
        assertEquals("completed", row.getCallStatus());
        assertEquals("4.5", row.getCallDurationMinutes().toPlainString());
        assertEquals("0.0375", row.getCallCost().toPlainString());
        assertEquals(1, storedCalls(account));
    }

    @Test
    void aReportCarriesTheWholeRecordAbsentFieldsBecomeNullAndStatusDefaultsToInitiated() {
        var account = api.newAccount("whole record");
        var assistant = UUID.randomUUID();
        put(account, "room-w", call(assistant, "2026-03-10T09:00:00Z", "answered").put("recording_path", "s3://x"));
        var sparse = JSON.createObjectNode().put("assistant_id", assistant.toString()).put("started_at", "2026-03-10T09:00:00Z");

        var response = put(account, "room-w", sparse);

        // answered -> initiated is not a move back from a terminal status, so it applies
        assertEquals("updated", response.data().get("result").asText());
        var row = stored(account, "room-w");
        assertEquals("initiated", row.getCallStatus());
        assertNull(row.getRecordingPath());
        assertNull(row.getPlatformNumber());
        assertEquals("UNKNOWN_PLATFORM", row.getPhoneBucket());
    }

    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({"completed,answered,ignored", "failed,initiated,ignored", "busy,answered,ignored",
                "answered,completed,updated", "initiated,answered,updated", "completed,failed,updated",
                "answered,initiated,updated"})
    void aReportThatWouldMoveATerminalCallBackIsIgnoredWhole(String first, String second, String result) {
        var account = api.newAccount(first + " then " + second);
        var assistant = UUID.randomUUID();
        put(account, "room-s", call(assistant, "2026-03-10T09:00:00Z", first).put("call_duration_minutes", 3));

        var late = call(assistant, "2026-03-10T09:00:00Z", second).put("call_duration_minutes", 9).put("to_number", "+1999");
        var response = put(account, "room-s", late);

        assertEquals(200, response.status());
        assertEquals(result, response.data().get("result").asText());
        var row = stored(account, "room-s");
        if (result.equals("ignored")) {
            assertEquals("Report ignored: call room-s has already ended, and a report of '" + second
                         + "' cannot move it back", response.message());
            assertEquals(first, row.getCallStatus());
            assertEquals(0, row.getCallDurationMinutes().compareTo(java.math.BigDecimal.valueOf(3)), "none of its fields apply");
            assertEquals("+15557654321", row.getToNumber());
        } else {
            assertEquals(second, row.getCallStatus());
            assertEquals("+1999", row.getToNumber());
        }
    }

    @Test
    void transcriptsAreReplacedWhenPresentKeptWhenAbsentAndClearedWhenEmpty() {
        var account = api.newAccount("transcripts");
        var assistant = UUID.randomUUID();
        var report = call(assistant, "2026-03-10T09:00:00Z", "completed");
        var withTranscript = report.deepCopy();
        withTranscript.putArray("transcripts")
                      .add(JSON.createObjectNode().put("speaker", "agent").put("text", "Hello\tthere\\n").put("timestamp", "2026-03-10T09:00:05Z"))
                      .add(JSON.createObjectNode().put("speaker", "user").put("text", "Hi, line one\nline two").put("timestamp", "2026-03-10T09:00:07Z"));
        assertEquals(201, put(account, "room-t", withTranscript).status());
        assertEquals(List.of("Hello\tthere\\n", "Hi, line one\nline two"), texts(account, "room-t"));

        assertEquals("unchanged", put(account, "room-t", withTranscript).data().get("result").asText());
        assertEquals("unchanged", put(account, "room-t", report).data().get("result").asText(), "absent transcripts are kept");
        assertEquals(2, texts(account, "room-t").size());

        var replaced = report.deepCopy();
        replaced.putArray("transcripts").add(JSON.createObjectNode().put("speaker", "agent").put("text", "Only this").putNull("timestamp"));
        assertEquals("updated", put(account, "room-t", replaced).data().get("result").asText());
        assertEquals(List.of("Only this"), texts(account, "room-t"));

        var cleared = report.deepCopy();
        cleared.putArray("transcripts");
        assertEquals("updated", put(account, "room-t", cleared).data().get("result").asText());
        assertEquals(List.of(), texts(account, "room-t"));
    }

    static List<String> texts(Account account, String room) {
        return api.ctx().select(TRANSCRIPTS.TEXT).from(TRANSCRIPTS)
                  .where(TRANSCRIPTS.ACCOUNT_ID.eq(account.id())).and(TRANSCRIPTS.ROOM_NAME.eq(room))
                  .orderBy(TRANSCRIPTS.POSITION).fetch(TRANSCRIPTS.TEXT);
    }

    @Test
    void theAssistantFollowsItsMostRecentlyStartedCallWhateverTheOrderOfArrival() {
        var account = api.newAccount("assistant names");
        var assistant = UUID.randomUUID();
        var byAssistant = "/analytics/calls/by-assistant?start_date=2026-01-01&end_date=2026-12-31";
        put(account, "newer", call(assistant, "2026-03-10T09:00:00Z", "completed").put("assistant_name", "New Name"));
        put(account, "older", call(assistant, "2026-03-01T09:00:00Z", "completed").put("assistant_name", "Old Name"));
        assertEquals("New Name", api.get(byAssistant, account).data().get("assistants").get(0).get("assistant_name").asText());

        var renamed = api.send("PUT", "/assistants/" + assistant, account.ingestKey(), "{\"assistant_name\": \"Chosen Name\"}");
        assertEquals(200, renamed.status(), renamed.body());
        assertJson("{'success': true, 'message': 'Assistant renamed', 'data': {'assistant_id': '" + assistant
                   + "', 'assistant_name': 'Chosen Name'}}", renamed.json());
        assertEquals("Chosen Name", api.get(byAssistant, account).data().get("assistants").get(0).get("assistant_name").asText());
        // The call logs keep the name of the time.
        var logs = api.get("/assistant/call-logs/" + assistant + "?start_date=2026-01-01", account).data().get("logs");
        assertEquals("New Name", logs.get(0).get("assistant_name").asText());
        assertEquals("Old Name", logs.get(1).get("assistant_name").asText());

        assertEquals(404, api.send("PUT", "/assistants/" + UUID.randomUUID(), account.ingestKey(), "{\"assistant_name\": \"X\"}").status());
        assertEquals(400, api.send("PUT", "/assistants/" + assistant, account.ingestKey(), "{\"assistant_name\": \"\"}").status());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", | Malformed JSON: Unexpected end-of-input within/between Object entries (column 95)
            [1, 2] | Request body must be a JSON object
            {"started_at": "2026-03-10T09:00:00Z"} | Invalid call: assistant_id: required
            {"assistant_id": "bot-1", "started_at": "2026-03-10T09:00:00Z"} | Invalid call: assistant_id: 'bot-1' is not a UUID
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000"} | Invalid call: started_at: required
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "10/03/2026"} | Invalid call: started_at: '10/03/2026' is not an ISO 8601 date-time such as 2026-03-01T09:30:00Z
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "call_status": "ringing"} | Invalid call: call_status: 'ringing' is not one of initiated, answered, completed, busy, no_answer, rejected, cancelled, unreachable, timeout, failed
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "call_type": "sms"} | Invalid call: call_type: 'sms' is not one of outbound, inbound, web
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "call_duration_minutes": -1} | Invalid call: call_duration_minutes: must not be negative, got -1
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "call_duration_minutes": "4.5"} | Invalid call: call_duration_minutes: must be a number, got "4.5"
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "ended_at": "2026-03-10T08:59:59Z"} | Invalid call: ended_at: 2026-03-10T08:59:59Z is before started_at 2026-03-10T09:00:00Z
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "sip_status_code": 99} | Invalid call: sip_status_code: must be an integer from 100 to 699, got 99
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "call_cost": -0.01, "to_number": 5} | Invalid call: to_number: must be a string, got 5; call_cost: must not be negative, got -0.01
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "transcripts": [{"speaker": "agent", "timestamp": "soon"}]} | Invalid call: transcripts[0].timestamp: 'soon' is not an ISO 8601 date-time such as 2026-03-01T09:30:00Z
            {"assistant_id": "550e8400-e29b-41d4-a716-446655440000", "started_at": "2026-03-10T09:00:00Z", "room_name": "another-room"} | Invalid call: room_name: 'another-room' differs from the room name in the URL, 'room-bad'
            """)
    void badInputIsA400NamingTheFieldAndWritesNothing(String body, String message) {
        var account = api.newAccount("bad input");
        var response = api.send("PUT", "/calls/room-bad", account.ingestKey(), body);
        assertEquals(400, response.status(), response.body());
        assertFalse(response.json().get("success").asBoolean());
        assertEquals(message, response.message());
        assertEquals(0, storedCalls(account));
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413() {
        var account = api.newAccount("big body");
        var big = call(UUID.randomUUID(), "2026-03-10T09:00:00Z", "completed").put("recording_path", "x".repeat(IngestService.MAX_BODY_BYTES));
        var response = put(account, "room-big", big);
        assertEquals(413, response.status());
        assertEquals("Request body too large: at most 1048576 bytes", response.message());
        assertEquals(0, storedCalls(account));
    }

    @Test
    void writingNeedsTheIngestScope() {
        var account = api.newAccount("scopes");
        var body = call(UUID.randomUUID(), "2026-03-10T09:00:00Z", "completed").toString();
        for (var request : List.of(new String[]{"PUT", "/calls/room-x"}, new String[]{"POST", "/calls/import"},
                                   new String[]{"PUT", "/assistants/" + UUID.randomUUID()})) {
            var forbidden = api.send(request[0], request[1], account.readKey(), body);
            assertEquals(403, forbidden.status(), request[1]);
            assertEquals("This API key lacks the 'ingest' scope that this endpoint requires", forbidden.message());
            assertEquals(401, api.send(request[0], request[1], null, body).status());
        }
        assertEquals(0, storedCalls(account));
    }

    @Test
    void eightConcurrentWritersOfOneCallLeaveOneConsistentRowWithoutErrors() throws Exception {
        var account = api.newAccount("concurrency");
        var assistant = UUID.randomUUID();
        for (int round = 0; round < 5; round++) {
            var room = "room-c" + round;
            var tasks = new ArrayList<Callable<Integer>>();
            var statuses = List.of("initiated", "answered", "completed", "answered", "initiated", "answered", "initiated", "answered");
            for (int writer = 0; writer < 8; writer++) {
                var report = call(assistant, "2026-03-10T09:00:00Z", statuses.get(writer)).put("call_duration_minutes", writer);
                report.putArray("transcripts").add(JSON.createObjectNode().put("speaker", "agent").put("text", "writer " + writer));
                tasks.add(() -> put(account, room, report).status());
            }
            try (var pool = Executors.newFixedThreadPool(8)) {
                for (var future : pool.invokeAll(tasks)) {
                    assertTrue(List.of(200, 201).contains(future.get()), "status " + future.get());
                }
            }
            var row = stored(account, room);
            // The terminal report is never undone, and the transcript is the one of the report that stands.
            assertEquals("completed", row.getCallStatus());
            assertEquals(List.of("writer " + row.getCallDurationMinutes().intValue()), texts(account, room));
        }
        assertEquals(5, storedCalls(account));
    }

    @Test
    void theSameRoomNameInTwoAccountsIsTwoCalls() {
        var alpha = api.newAccount("alpha");
        var beta = api.newAccount("beta");
        var assistant = UUID.randomUUID();
        assertEquals(201, put(alpha, "shared-room", call(assistant, "2026-03-10T09:00:00Z", "completed")).status());
        assertEquals(201, put(beta, "shared-room", call(assistant, "2026-03-10T09:00:00Z", "failed")).status());
        assertEquals("completed", api.ctx().fetchSingle(CALLS, CALLS.ACCOUNT_ID.eq(alpha.id())).getCallStatus());
        assertEquals("failed", api.ctx().fetchSingle(CALLS, CALLS.ACCOUNT_ID.eq(beta.id())).getCallStatus());
        // Renaming beta's assistant leaves alpha's alone.
        api.send("PUT", "/assistants/" + assistant, beta.ingestKey(), "{\"assistant_name\": \"Beta only\"}");
        assertEquals("Support Bot", api.get("/analytics/calls/by-assistant?start_date=2026-03-01", alpha)
                                       .data().get("assistants").get(0).get("assistant_name").asText());
    }
}
