package dev.callanalytics.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callanalytics.db.tables.records.CallsRecord;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.callanalytics.testing.Calls.utc;
import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /calls: the record, every filter (against the same calls filtered in Java), words said,
 * keyset paging that neither skips nor repeats while calls arrive, and every bad parameter a 400
 * that names it.
 */
class CallSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestApi api = TestApi.start();

    static final UUID SALES = UUID.fromString("5a1e5000-0000-4000-8000-000000000001");
    static final UUID SUPPORT = UUID.fromString("5a1e5000-0000-4000-8000-000000000002");

    /** The calls of the filter tests, as stored, for the expectations computed beside the API. */
    static final List<CallsRecord> FIXTURE = new ArrayList<>();
    static Account filters;

    @BeforeAll
    static void fixture() {
        filters = api.newAccount("filters");
        var calls = api.calls(filters);
        var start = Instant.parse("2026-03-01T00:00:00Z");
        String[] statuses = {"completed", "busy", "no_answer", "failed", "completed", "completed"};
        String[] types = {"outbound", "inbound", "web", null};
        String[] services = {"exotel", " twilio ", "web", null, "plivo"};
        String[] numbers = {"+918065550101", "+918065550102", null, " +918065550103 ", "+918065550101", "+918065550102"};
        for (int i = 0; i < 48; i++) {
            int n = i;
            // every 4 hours 12 minutes: the calls cross the days of UTC and of Asia/Kolkata differently
            var call = calls.add(n % 3 == 0 ? SUPPORT : SALES, start.plusSeconds(15_120L * n), n % 7 == 0 ? null : (n % 11) + ".25", c -> c
                    .setRoomName(String.format("f-%02d", n))
                    .setCallStatus(statuses[n % statuses.length])
                    .setCallType(types[n % types.length])
                    .setCallService(services[n % services.length])
                    .setPlatformNumber(numbers[n % numbers.length])
                    .setSipStatusCode(n % 6 == 1 ? Integer.valueOf(486) : n % 6 == 3 ? Integer.valueOf(503) : null)
                    .setCallCost(n % 5 == 0 ? null : new BigDecimal("0.0" + (n % 9) + "5")));
            FIXTURE.add(call);
        }
    }

    @Test
    void aFoundCallIsTheCallLogsRecordWithItsLinesMarked() {
        var account = api.newAccount("record");
        var calls = api.calls(account);
        var call = calls.add(SALES, Instant.parse("2026-02-10T09:00:00Z"), "2.5", c -> c
                .setRoomName("the-call").setAssistantName("Sales Bot").setToNumber("+919812345678")
                .setAnsweredAt(utc(Instant.parse("2026-02-10T09:00:03Z"))).setEndedAt(utc(Instant.parse("2026-02-10T09:02:33Z")))
                .setCallCost(new BigDecimal("0.0300")).setRecordingPath("https://recordings.example/the-call.ogg"));
        calls.transcript(call, 0, "agent", "Hello, this is Acme. How can I help?", Instant.parse("2026-02-10T09:00:04Z"));
        calls.transcript(call, 1, "user", "I want a REFUND for my parcel.", Instant.parse("2026-02-10T09:00:09Z"));
        calls.transcript(call, 2, "agent", null, null);

        var found = api.get("/calls?q=refund", account);

        assertEquals(200, found.status());
        assertJson("""
                {'success': true, 'message': 'Calls retrieved successfully', 'data': {'calls': [
                  {'room_name': 'the-call', 'assistant_id': '5a1e5000-0000-4000-8000-000000000001', 'assistant_name': 'Sales Bot',
                   'to_number': '+919812345678', 'call_status': 'completed', 'call_status_reason': null,
                   'sip_status_code': null, 'sip_status_text': null, 'answered_at': '2026-02-10T09:00:03.000Z',
                   'started_at': '2026-02-10T09:00:00.000Z', 'ended_at': '2026-02-10T09:02:33.000Z', 'call_duration_minutes': 2.5,
                   'recording_path': 'https://recordings.example/the-call.ogg',
                   'transcripts': [
                     {'speaker': 'agent', 'text': 'Hello, this is Acme. How can I help?', 'timestamp': '2026-02-10T09:00:04.000Z', 'matched': false},
                     {'speaker': 'user', 'text': 'I want a REFUND for my parcel.', 'timestamp': '2026-02-10T09:00:09.000Z', 'matched': true},
                     {'speaker': 'agent', 'text': null, 'timestamp': null, 'matched': false}],
                   'call_cost': 0.03}],
                 'next': null}}
                """, found.json());
        // the call logs show the very same record, without the marks
        var log = api.get("/assistant/call-logs/" + SALES, account).data().get("logs").get(0);
        var record = found.data().get("calls").get(0).deepCopy();
        for (var line : record.withArray("transcripts")) {
            ((ObjectNode) line).remove("matched");
        }
        assertEquals(log, record);
        // without q no line is marked
        for (var line : api.get("/calls", account).data().get("calls").get(0).get("transcripts")) {
            assertEquals(false, line.get("matched").asBoolean());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            assistant_id=5a1e5000-0000-4000-8000-000000000002 | assistant SUPPORT
            call_status=busy                                   | status busy
            call_status=no_answer,failed                       | status no_answer or failed
            call_type=web                                      | type web
            call_type=unknown,inbound                          | type unknown or inbound
            call_service=twilio                                | service twilio (trimmed)
            call_service=unknown                               | service unknown
            platform_number=%2B918065550103                    | number +918065550103 (trimmed)
            phone_bucket=UNKNOWN_PLATFORM                      | bucket UNKNOWN_PLATFORM
            phone_bucket=WEB_CALL                              | bucket WEB_CALL
            sip_status_code=486                                | sip 486
            min_call_duration_minutes=5&max_call_duration_minutes=8.25 | minutes 5..8.25
            max_minutes=0                                      | minutes 0..0
            min_call_cost=0.045&max_cost=0.075                 | cost 0.045..0.075
            start_date=2026-03-02&end_date=2026-03-03          | UTC days 2026-03-02..03
            start_date=2026-03-02&end_date=2026-03-03&timezone=Asia/Kolkata | Kolkata days 2026-03-02..03
            start_date=2026-03-02T05:00:00%2B05:30&end_date=2026-03-04T00:00:00Z | instants
            call_status=completed&call_type=outbound&assistant_id=5a1e5000-0000-4000-8000-000000000001 | three filters together
            assistant_id=5a1e5000-0000-4000-8000-0000000000ff  | an assistant without calls
            """)
    void everyFilterSelectsWhatItNames(String query, String expected) {
        var found = roomsOfAllPages("/calls?" + query + "&limit=7", filters);
        var wanted = FIXTURE.stream().filter(expectation(expected))
                            .sorted(Comparator.comparing(CallsRecord::getStartedAt).reversed())
                            .map(CallsRecord::getRoomName).toList();
        assertEquals(wanted, found, query);
        if (!expected.equals("an assistant without calls")) {
            assertTrue(!wanted.isEmpty() && wanted.size() < FIXTURE.size(), "the filter must select some, not all: " + query);
        }
    }

    /** The same selection, computed in Java from the calls as stored. */
    private static Predicate<CallsRecord> expectation(String name) {
        var kolkata = ZoneId.of("Asia/Kolkata");
        return switch (name) {
            case "assistant SUPPORT" -> c -> c.getAssistantId().equals(SUPPORT);
            case "status busy" -> c -> c.getCallStatus().equals("busy");
            case "status no_answer or failed" -> c -> List.of("no_answer", "failed").contains(c.getCallStatus());
            case "type web" -> c -> "web".equals(c.getCallType());
            case "type unknown or inbound" -> c -> c.getCallType() == null || c.getCallType().equals("inbound");
            case "service twilio (trimmed)" -> c -> c.getCallService() != null && c.getCallService().trim().equals("twilio");
            case "service unknown" -> c -> c.getCallService() == null;
            case "number +918065550103 (trimmed)" -> c -> c.getPlatformNumber() != null && c.getPlatformNumber().trim().equals("+918065550103");
            case "bucket UNKNOWN_PLATFORM" -> c -> c.getPlatformNumber() == null && !"web".equals(c.getCallType()) && !"web".equals(c.getCallService());
            case "bucket WEB_CALL" -> c -> "web".equals(c.getCallType()) || "web".equals(c.getCallService());
            case "sip 486" -> c -> Integer.valueOf(486).equals(c.getSipStatusCode());
            case "minutes 5..8.25" -> c -> between(c.getCallDurationMinutes(), "5", "8.25");
            case "minutes 0..0" -> c -> between(c.getCallDurationMinutes(), "0", "0");
            case "cost 0.045..0.075" -> c -> between(c.getCallCost(), "0.045", "0.075");
            case "UTC days 2026-03-02..03" -> c -> !c.getStartedAt().toInstant().isBefore(Instant.parse("2026-03-02T00:00:00Z"))
                                                     && c.getStartedAt().toInstant().isBefore(Instant.parse("2026-03-04T00:00:00Z"));
            case "Kolkata days 2026-03-02..03" -> c -> {
                var day = c.getStartedAt().toInstant().atZone(kolkata).toLocalDate();
                return !day.isBefore(java.time.LocalDate.parse("2026-03-02")) && !day.isAfter(java.time.LocalDate.parse("2026-03-03"));
            };
            case "instants" -> c -> !c.getStartedAt().toInstant().isBefore(Instant.parse("2026-03-01T23:30:00Z"))
                                    && !c.getStartedAt().toInstant().isAfter(Instant.parse("2026-03-04T00:00:00Z"));
            case "three filters together" -> c -> c.getCallStatus().equals("completed") && "outbound".equals(c.getCallType())
                                                  && c.getAssistantId().equals(SALES);
            case "an assistant without calls" -> c -> false;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static boolean between(BigDecimal value, String min, String max) {
        var v = value == null ? BigDecimal.ZERO : value;
        return v.compareTo(new BigDecimal(min)) >= 0 && v.compareTo(new BigDecimal(max)) <= 0;
    }

    @Test
    void pagesFollowByCursorNewestOrOldestFirstAndTiesBreakByRoomName() {
        var account = api.newAccount("paging");
        var calls = api.calls(account);
        var expected = new ArrayList<String>();
        var at = Instant.parse("2026-04-01T12:00:00Z");
        for (int i = 0; i < 23; i++) {
            // groups of three calls that started at the same instant
            var room = "p-" + (char) ('a' + i % 3) + "-" + (i / 3);
            calls.add(SALES, at.plusSeconds(60L * (i / 3)), "1", c -> c.setRoomName(room));
            expected.add(room);
        }
        var newestFirst = new ArrayList<>(expected);
        newestFirst.sort(Comparator.comparing((String room) -> -Integer.parseInt(room.substring(4))).thenComparing(room -> room));
        var oldestFirst = new ArrayList<>(expected);
        oldestFirst.sort(Comparator.comparing((String room) -> Integer.parseInt(room.substring(4))).thenComparing(room -> room));

        assertEquals(newestFirst, roomsOfAllPages("/calls?limit=4", account));
        assertEquals(oldestFirst, roomsOfAllPages("/calls?limit=5&sort_order=asc", account));
        assertEquals(newestFirst, roomsOfAllPages("/calls?limit=100", account));
        var first = api.get("/calls?limit=23", account).data();
        assertEquals(23, first.get("calls").size());
        assertTrue(first.get("next").isNull(), "a page that holds the last call has no next");
        assertEquals(20, api.get("/calls", account).data().get("calls").size(), "20 a page unless limit says otherwise");
    }

    @Test
    void callsArrivingBetweenPagesAreNeitherSkippedNorRepeated() {
        var account = api.newAccount("arriving");
        var calls = api.calls(account);
        var at = Instant.parse("2026-05-01T08:00:00Z");
        var original = new ArrayList<String>();
        for (int i = 0; i < 30; i++) {
            var room = String.format("o-%02d", i);
            calls.add(SALES, at.plusSeconds(10L * (i / 2)), "1", c -> c.setRoomName(room));
            original.add(room);
        }
        var first = api.get("/calls?limit=9", account).data();
        var seen = new ArrayList<String>();
        first.get("calls").forEach(c -> seen.add(c.get("room_name").asText()));
        var last = first.get("calls").get(8);
        var lastStarted = Instant.parse(last.get("started_at").asText());
        // meanwhile: newer calls, calls at the very instant of the page's last call on either side
        // of it in room order, and older ones
        calls.add(SALES, at.plusSeconds(10_000), "1", c -> c.setRoomName("new-newest"));
        calls.add(SALES, lastStarted, "1", c -> c.setRoomName("a-tie-before"));
        calls.add(SALES, lastStarted, "1", c -> c.setRoomName("z-tie-after"));
        calls.add(SALES, at.minusSeconds(3600), "1", c -> c.setRoomName("new-oldest"));

        var cursor = first.get("next").asText();
        while (cursor != null) {
            var page = api.get("/calls?limit=9&cursor=" + cursor, account).data();
            page.get("calls").forEach(c -> seen.add(c.get("room_name").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        }

        assertEquals(seen.size(), new HashSet<>(seen).size(), "no call twice: " + seen);
        assertTrue(seen.containsAll(original), "every call that was there from the start: " + seen);
        // those placed after the cursor's position are on the later pages; those before it are not
        assertTrue(seen.contains("z-tie-after") && seen.contains("new-oldest"), seen.toString());
        assertTrue(!seen.contains("new-newest") && !seen.contains("a-tie-before"), seen.toString());
    }

    @Test
    void wordsSaidAreFoundAsWholeWordsInAnyCaseWithPhrasesExclusionsAndOr() {
        var account = api.newAccount("words");
        var calls = api.calls(account);
        var at = Instant.parse("2026-06-01T10:00:00Z");
        String[][] transcripts = {
                {"Please call me later today.", "Okay."},
                {"Later, call me.", "I want a refund."},
                {"The refunded amount arrived.", "Thanks."},
                {"मुझे refund चाहिए", "ठीक है"},
                {}};
        for (int i = 0; i < transcripts.length; i++) {
            var room = "w-" + i;
            var call = calls.add(SUPPORT, at.plusSeconds(i), "1", c -> c.setRoomName(room));
            for (int line = 0; line < transcripts[i].length; line++) {
                calls.transcript(call, line, line % 2 == 0 ? "user" : "agent", transcripts[i][line], at.plusSeconds(i).plusSeconds(line));
            }
        }

        assertEquals(List.of("w-3", "w-1"), rooms("/calls?q=refund", account), "whole words: refunded is another word");
        assertEquals(List.of("w-3", "w-1"), rooms("/calls?q=REFUND", account));
        assertEquals(List.of("w-1", "w-0"), rooms("/calls?q=" + encode("call me"), account), "all the words, in one line");
        assertEquals(List.of("w-0"), rooms("/calls?q=" + encode("\"call me later\""), account), "a phrase, in order");
        assertEquals(List.of("w-1", "w-0"), rooms("/calls?q=" + encode("call -refund"), account), "an utterance with one word, without the other");
        assertEquals(List.of("w-3"), rooms("/calls?q=" + encode("refund -want"), account));
        assertEquals(List.of("w-2", "w-0"), rooms("/calls?q=" + encode("refunded or today"), account));
        assertEquals(List.of("w-3"), rooms("/calls?q=" + encode("चाहिए"), account), "Devanagari words too");
        assertEquals(List.of(), rooms("/calls?q=parcel", account));
        // the lines that match are marked, the others not
        var marks = new ArrayList<Boolean>();
        api.get("/calls?q=refund&call_status=completed", account).data().get("calls").get(1).get("transcripts")
           .forEach(line -> marks.add(line.get("matched").asBoolean()));
        assertEquals(List.of(false, true), marks);
    }

    @Test
    void wordsWrittenThroughIngestionAreFoundAndReplacedTranscriptsAreNot() {
        var account = api.newAccount("ingested words");
        var report = JSON.createObjectNode().put("assistant_id", SUPPORT.toString()).put("call_status", "completed")
                         .put("started_at", "2026-07-01T10:00:00Z");
        report.putArray("transcripts").add(JSON.createObjectNode().put("speaker", "user").put("text", "Where is my marigold order?"));
        assertEquals(201, api.send("PUT", "/calls/ingested", account.ingestKey(), report.toString()).status());
        assertEquals(List.of("ingested"), rooms("/calls?q=marigold", account));

        report.putArray("transcripts").add(JSON.createObjectNode().put("speaker", "user").put("text", "Where is my tulip order?"));
        assertEquals(200, api.send("PUT", "/calls/ingested", account.ingestKey(), report.toString()).status());
        assertEquals(List.of(), rooms("/calls?q=marigold", account));
        assertEquals(List.of("ingested"), rooms("/calls?q=tulip", account));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            call_status=bogus                 | Invalid call_status 'bogus': use one or more of initiated, answered, completed, busy, no_answer, rejected, cancelled, unreachable, timeout, failed, separated by commas
            call_status=busy,,failed          | Invalid call_status '': use one or more of initiated, answered, completed, busy, no_answer, rejected, cancelled, unreachable, timeout, failed, separated by commas
            call_type=phone                   | Invalid call_type 'phone': use one or more of outbound, inbound, web, unknown, separated by commas
            sip_status_code=99                | Invalid sip_status_code '99': must be an integer from 100 to 699
            sip_status_code=abc               | Invalid sip_status_code 'abc': must be an integer from 100 to 699
            min_call_cost=-1                  | Invalid min_call_cost '-1': must be a number of at least 0, below 1e12, with at most 20 decimals
            max_call_duration_minutes=lots    | Invalid max_call_duration_minutes 'lots': must be a number of at least 0, below 1e12, with at most 20 decimals
            min_minutes=NaN                   | Invalid min_minutes 'NaN': must be a number of at least 0, below 1e12, with at most 20 decimals
            min_call_cost=2&max_call_cost=1   | min_call_cost (2) is above max_call_cost (1)
            assistant_id=not-a-uuid           | Invalid assistant_id 'not-a-uuid': must be a UUID
            limit=0                           | Invalid limit '0': must be an integer from 1 to 100
            limit=101                         | Invalid limit '101': must be an integer from 1 to 100
            sort_order=up                     | Invalid sort_order 'up': use asc or desc
            cursor=bm90IGEgY3Vyc29y           | Invalid cursor: pass back data.next of the previous page as it was given
            cursor=%25%25%25                  | Invalid cursor: pass back data.next of the previous page as it was given
            q=%21%21%21                       | Invalid q '!!!': give at least one word to search the transcripts for
            q=a%00b                           | Invalid q 'a?b': must not contain NUL or a lone UTF-16 surrogate
            platform_number=%2B9%001          | Invalid platform_number '+9?1': must not contain NUL or a lone UTF-16 surrogate
            call_service=%20%20               | Invalid call_service '  ': must not be blank
            timezone=Mars/Olympus             | Invalid timezone 'Mars/Olympus': use an IANA time zone name, such as UTC, Asia/Kolkata or America/New_York
            start_date=yesterday              | Invalid start_date 'yesterday': use ISO 8601, such as 2026-03-01, 2026-03-01T00:00:00Z or 2026-03-01T05:30:00+05:30
            start_date=2026-03-02&end_date=2026-03-01 | start_date (2026-03-02T00:00:00.000Z) is after end_date (2026-03-01T23:59:59.999Z)
            """)
    void aBadParameterIsA400NamingIt(String query, String message) {
        var response = api.get("/calls?" + query, filters);
        assertEquals(400, response.status(), query);
        var expected = JSON.createObjectNode().put("success", false).put("message", message).putNull("data");
        assertJson(expected, response.json());
    }

    @Test
    void aCursorReadAgainstOtherFiltersOrTheOtherOrderIsRefused() {
        var next = api.get("/calls?limit=2&call_status=completed", filters).data().get("next").asText();
        assertEquals(200, api.get("/calls?limit=2&call_status=completed&cursor=" + next, filters).status());
        assertEquals("Invalid cursor: it continues a search with other filters; pass the same filters as the first page,"
                     + " or leave cursor out to start again", api.get("/calls?limit=2&call_status=busy&cursor=" + next, filters).message());
        assertEquals("Invalid cursor: it continues a search in the other sort_order; pass the same sort_order as the first page",
                     api.get("/calls?limit=2&call_status=completed&sort_order=asc&cursor=" + next, filters).message());
        var q = "q=" + "x".repeat(201);
        assertEquals("Invalid q '" + "x".repeat(40) + "...': must be at most 200 characters", api.get("/calls?" + q, filters).message());
    }

    @Test
    void searchNeedsAReadKey() {
        assertEquals(401, api.get("/calls", (String) null).status());
        assertEquals(403, api.get("/calls", filters.ingestKey()).status());
        var post = api.send("POST", "/calls", filters.readKey(), "{}");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    /** The room names of every page, following the cursors. */
    static List<String> roomsOfAllPages(String path, Account account) {
        var rooms = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var response = api.get(path + (cursor == null ? "" : "&cursor=" + cursor), account);
            assertEquals(200, response.status(), response.body());
            response.data().get("calls").forEach(c -> rooms.add(c.get("room_name").asText()));
            JsonNode next = response.data().get("next");
            assertNotNull(next);
            cursor = next.isNull() ? null : next.asText();
            assertTrue(++pages < 1000);
        } while (cursor != null);
        return rooms;
    }

    static List<String> rooms(String path, Account account) {
        var response = api.get(path, account);
        assertEquals(200, response.status(), response.body());
        assertNull(response.data().get("next").textValue());
        var rooms = new ArrayList<String>();
        response.data().get("calls").forEach(c -> rooms.add(c.get("room_name").asText()));
        return rooms;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
