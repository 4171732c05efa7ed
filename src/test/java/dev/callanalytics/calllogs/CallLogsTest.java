package dev.callanalytics.calllogs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.db.tables.records.CallsRecord;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import static dev.callanalytics.testing.Calls.utc;
import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The call-logs endpoint: the log shape, transcripts, paging, sorting and date filtering. */
class CallLogsTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();

    @Test
    void aLogHasEveryDocumentedFieldTheNameOfItsTimeAndItsTranscriptsInSpeakingOrder() {
        var account = api.newAccount("shape");
        var assistant = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
        var calls = api.calls(account);
        var call = calls.add(assistant, Instant.parse("2024-01-20T14:30:00Z"), "5.0", c -> c
                .setRoomName("550e8400-e29b-41d4-a716-446655440000_abc123")
                .setAssistantName("Support Bot")
                .setToNumber("+1234567890")
                .setAnsweredAt(OffsetDateTime.parse("2024-01-20T14:30:02Z"))
                .setEndedAt(OffsetDateTime.parse("2024-01-20T14:35:00Z"))
                .setCallCost(new BigDecimal("0.0450"))
                .setRecordingPath("https://recordings.example/abc123.ogg"));
        // Received out of speaking order; the one without a time goes last.
        calls.transcript(call, 0, "user", "I need help", Instant.parse("2024-01-20T14:30:09Z"));
        calls.transcript(call, 1, "agent", "Hello, how can I help you?", Instant.parse("2024-01-20T14:30:05Z"));
        calls.transcript(call, 2, "agent", "(no time)", null);
        calls.transcript(call, 3, "agent", "Sure.", Instant.parse("2024-01-20T14:30:09Z"));
        // A later call under the assistant's new name, without transcripts or optional fields.
        calls.add(assistant, Instant.parse("2024-02-01T09:00:00Z"), null, c -> c
                .setRoomName("later").setAssistantName("Help Desk").setToNumber(null)
                .setCallStatus("busy").setCallStatusReason("callee busy").setSipStatusCode(486).setSipStatusText("Busy Here"));

        var response = api.get("/assistant/call-logs/" + assistant + "?page=1&limit=5", account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Call logs retrieved successfully', 'data': {'logs': [
                  {'room_name': 'later', 'assistant_id': '550e8400-e29b-41d4-a716-446655440000', 'assistant_name': 'Help Desk',
                   'to_number': null, 'call_status': 'busy', 'call_status_reason': 'callee busy',
                   'sip_status_code': 486, 'sip_status_text': 'Busy Here', 'answered_at': null,
                   'started_at': '2024-02-01T09:00:00.000Z', 'ended_at': null, 'call_duration_minutes': null,
                   'recording_path': null, 'transcripts': [], 'call_cost': null},
                  {'room_name': '550e8400-e29b-41d4-a716-446655440000_abc123', 'assistant_id': '550e8400-e29b-41d4-a716-446655440000',
                   'assistant_name': 'Support Bot', 'to_number': '+1234567890', 'call_status': 'completed',
                   'call_status_reason': null, 'sip_status_code': null, 'sip_status_text': null,
                   'answered_at': '2024-01-20T14:30:02.000Z', 'started_at': '2024-01-20T14:30:00.000Z',
                   'ended_at': '2024-01-20T14:35:00.000Z', 'call_duration_minutes': 5.0,
                   'recording_path': 'https://recordings.example/abc123.ogg',
                   'transcripts': [
                     {'speaker': 'agent', 'text': 'Hello, how can I help you?', 'timestamp': '2024-01-20T14:30:05.000Z'},
                     {'speaker': 'user', 'text': 'I need help', 'timestamp': '2024-01-20T14:30:09.000Z'},
                     {'speaker': 'agent', 'text': 'Sure.', 'timestamp': '2024-01-20T14:30:09.000Z'},
                     {'speaker': 'agent', 'text': '(no time)', 'timestamp': null}],
                   'call_cost': 0.045}],
                 'pagination': {'total': 2, 'page': 1, 'limit': 5, 'total_pages': 1}}}
                """, response.json());
        // The assistant itself now carries its newest name.
        assertEquals("Help Desk", api.get("/analytics/calls/by-assistant?start_date=2024-01-01", account)
                                     .data().get("assistants").get(0).get("assistant_name").asText());
    }

    @Test
    void paginationCountsPagesAndAPagePastTheEndIsEmptyWithTheTruePagination() {
        var account = api.newAccount("pages");
        var assistant = UUID.randomUUID();
        for (int i = 0; i < 25; i++) {
            api.calls(account).add(assistant, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i), "1");
        }
        var path = "/assistant/call-logs/" + assistant;

        assertJson("{'total': 25, 'page': 1, 'limit': 10, 'total_pages': 3}", api.get(path, account).data().get("pagination"));
        assertEquals(10, api.get(path, account).data().get("logs").size());
        assertEquals(5, api.get(path + "?page=3", account).data().get("logs").size());
        var pastTheEnd = api.get(path + "?page=9&limit=5", account);
        assertEquals(200, pastTheEnd.status());
        assertJson("{'logs': [], 'pagination': {'total': 25, 'page': 9, 'limit': 5, 'total_pages': 5}}", pastTheEnd.data());
        assertJson("{'total': 25, 'page': 1, 'limit': 100, 'total_pages': 1}",
                   api.get(path + "?limit=100", account).data().get("pagination"));
        assertJson("{'total': 25, 'page': 1, 'limit': 1, 'total_pages': 25}",
                   api.get(path + "?limit=1", account).data().get("pagination"));
        // Newest first by default.
        assertEquals("2026-01-01T00:24:00.000Z", api.get(path, account).data().get("logs").get(0).get("started_at").asText());
    }

    @Test
    void anAssistantWithoutCallsInRangeHasNoPagesAtAll() {
        var account = api.newAccount("no calls in range");
        var assistant = UUID.randomUUID();
        api.calls(account).add(assistant, Instant.parse("2026-01-01T00:00:00Z"), "1");

        var response = api.get("/assistant/call-logs/" + assistant + "?start_date=2026-02-01", account);

        assertEquals(200, response.status());
        assertJson("{'logs': [], 'pagination': {'total': 0, 'page': 1, 'limit': 10, 'total_pages': 0}}", response.data());
    }

    @Test
    void datesFilterOnStartedAtWithBothEndsIncluded() {
        var account = api.newAccount("dates");
        var assistant = UUID.randomUUID();
        for (var start : List.of("2026-01-31T23:59:59.999999Z", "2026-02-01T00:00:00Z", "2026-02-10T12:00:00Z",
                                 "2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z")) {
            api.calls(account).add(assistant, Instant.parse(start), "1", c -> c.setRoomName(start));
        }

        var february = api.get("/assistant/call-logs/" + assistant + "?start_date=2026-02-01&end_date=2026-02-28&sort_order=asc", account);
        assertEquals(List.of("2026-02-01T00:00:00Z", "2026-02-10T12:00:00Z", "2026-02-28T23:59:59.999999Z"), rooms(february.data()));

        var since = api.get("/assistant/call-logs/" + assistant + "?start_date=2026-02-10T12:00:00Z&sort_order=asc", account);
        assertEquals(List.of("2026-02-10T12:00:00Z", "2026-02-28T23:59:59.999999Z", "2026-03-01T00:00:00Z"), rooms(since.data()));

        var until = api.get("/assistant/call-logs/" + assistant + "?end_date=2026-02-01T00:00:00Z&sort_order=asc", account);
        assertEquals(List.of("2026-01-31T23:59:59.999999Z", "2026-02-01T00:00:00Z"), rooms(until.data()));
    }

    /**
     * For every sort key and order, on calls full of ties and nulls in that key, walking the
     * pages yields every call exactly once, in the contract's order: the key (nulls last in both
     * orders), then room_name ascending.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"started_at,asc", "started_at,desc", "ended_at,asc", "ended_at,desc",
                "call_duration_minutes,asc", "call_duration_minutes,desc", "call_cost,asc", "call_cost,desc"})
    void pagingThroughTiesAndNullsNeverSkipsOrRepeatsACall(String sortBy, String sortOrder) {
        var account = api.newAccount("sort " + sortBy + " " + sortOrder);
        var assistant = UUID.randomUUID();
        var random = new Random(sortBy.hashCode() * 31L + sortOrder.hashCode());
        var base = Instant.parse("2026-01-10T00:00:00Z");
        var written = new ArrayList<CallsRecord>();
        for (int i = 0; i < 37; i++) {
            // Few distinct values, so that many calls tie; a third of the optional keys are null.
            var started = base.plusSeconds(3600L * random.nextInt(4));
            var room = "room-" + Integer.toString(random.nextInt(1_000_000), 36) + "-" + i;
            written.add(api.calls(account).add(assistant, started, random.nextInt(3) == 0 ? null : String.valueOf(random.nextInt(3)), c -> c
                    .setRoomName(room)
                    .setEndedAt(random.nextInt(3) == 0 ? null : utc(started.plusSeconds(60L * random.nextInt(3))))
                    .setCallCost(random.nextInt(3) == 0 ? null : new BigDecimal("0.0" + random.nextInt(3)))));
        }
        var expected = written.stream().sorted(contractOrder(sortBy, sortOrder)).map(CallsRecord::getRoomName).toList();

        var seen = new ArrayList<String>();
        for (int page = 1; page <= 8; page++) {
            var response = api.get("/assistant/call-logs/" + assistant + "?limit=5&page=" + page
                                   + "&sort_by=" + sortBy + "&sort_order=" + sortOrder, account);
            assertEquals(200, response.status(), response.body());
            assertEquals(8, response.data().get("pagination").get("total_pages").asInt());
            seen.addAll(rooms(response.data()));
        }

        assertEquals(expected, seen);
        assertEquals(37, new HashSet<>(seen).size());
    }

    /** The contract's order, written independently of the SQL. */
    private static Comparator<CallsRecord> contractOrder(String sortBy, String sortOrder) {
        Function<CallsRecord, Comparable<?>> key = switch (sortBy) {
            case "started_at" -> CallsRecord::getStartedAt;
            case "ended_at" -> CallsRecord::getEndedAt;
            case "call_duration_minutes" -> CallsRecord::getCallDurationMinutes;
            case "call_cost" -> CallsRecord::getCallCost;
            default -> throw new IllegalArgumentException(sortBy);
        };
        Comparator<Comparable<Object>> natural = Comparator.naturalOrder();
        var direction = sortOrder.equals("asc") ? natural : natural.reversed();
        @SuppressWarnings("unchecked")
        Comparator<CallsRecord> byKey = Comparator.comparing(c -> (Comparable<Object>) key.apply(c), Comparator.nullsLast(direction));
        return byKey.thenComparing(CallsRecord::getRoomName);
    }

    private static List<String> rooms(JsonNode data) {
        var rooms = new ArrayList<String>();
        data.get("logs").forEach(log -> rooms.add(log.get("room_name").asText()));
        return rooms;
    }

}
