package dev.callanalytics.usage;

import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.jooq.JSONB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /analytics/tokens/summary} and {@code /analytics/tokens/by-assistant}: the usage object
 * of the end-call report summed per account and assistant, whichever way the call arrived.
 */
class TokenUsageTest {

    static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");
    static final String MARCH = "start_date=2026-03-01&end_date=2026-03-31";

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    static JSONB usage(String json) {
        return JSONB.valueOf(json.replace('\'', '"'));
    }

    @Test
    void theSummaryAddsEveryUsageRecordAndAnAbsentKeyCountsZero() {
        var account = api.newAccount("token summary");
        var assistant = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(assistant, at("2026-03-10T09:00:00Z"), "2.5", c -> c.setUsage(usage("""
                {'llm_input_audio_tokens': 100, 'llm_input_text_tokens': 20, 'llm_input_cached_audio_tokens': 5,
                 'llm_input_cached_text_tokens': 3, 'llm_output_audio_tokens': 40, 'llm_output_text_tokens': 10,
                 'llm_total_tokens': 178, 'tts_characters_count': 321, 'tts_audio_duration': 12.345, 'stt_audio_duration': 20.004,
                 'stt': {'provider': 'deepgram', 'model': 'nova-3'}}
                """)));
        // only some keys: the others count 0
        calls.add(assistant, at("2026-03-20T23:59:59.999999Z"), "1.005", c -> c.setUsage(usage("{'llm_total_tokens': 22, 'tts_audio_duration': 0.001}")));
        // usage without any known key is still a usage record; a call without usage is none
        calls.add(assistant, at("2026-03-21T00:00:00Z"), null, c -> c.setUsage(usage("{}")));
        calls.add(assistant, at("2026-03-22T00:00:00Z"), "100", c -> c.setUsage(null));
        // outside the range
        calls.add(assistant, at("2026-04-01T00:00:00Z"), "1", c -> c.setUsage(usage("{'llm_total_tokens': 1000}")));

        var response = api.get("/analytics/tokens/summary?" + MARCH, account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Token usage summary fetched successfully', 'data': {
                  'total_records': 3, 'total_llm_input_audio_tokens': 100, 'total_llm_input_text_tokens': 20,
                  'total_llm_input_cached_audio_tokens': 5, 'total_llm_input_cached_text_tokens': 3,
                  'total_llm_output_audio_tokens': 40, 'total_llm_output_text_tokens': 10, 'total_llm_tokens': 200,
                  'total_tts_characters': 321, 'total_tts_audio_duration': 12.35, 'total_stt_audio_duration': 20.00,
                  'total_call_duration_minutes': 3.51}}
                """, response.json());
        // integers stay integers: no decimal point on a count
        assertTrue(response.body().contains("\"total_llm_tokens\":200,"), response.body());
        assertTrue(response.body().contains("\"total_tts_audio_duration\":12.35,"), response.body());
    }

    @Test
    void anEmptyRangeIsZerosAndAnAssistantNarrowsTheSummary() {
        var account = api.newAccount("token narrowing");
        var first = UUID.randomUUID();
        var second = UUID.randomUUID();
        api.calls(account).add(first, at("2026-03-10T09:00:00Z"), "1", c -> c.setUsage(usage("{'llm_total_tokens': 10}")));
        api.calls(account).add(second, at("2026-03-10T09:00:00Z"), "1", c -> c.setUsage(usage("{'llm_total_tokens': 32}")));

        assertEquals(10, api.get("/analytics/tokens/summary?" + MARCH + "&assistant_id=" + first, account).data().get("total_llm_tokens").asInt());
        assertEquals(42, api.get("/analytics/tokens/summary?" + MARCH, account).data().get("total_llm_tokens").asInt());
        assertJson("""
                {'total_records': 0, 'total_llm_input_audio_tokens': 0, 'total_llm_input_text_tokens': 0,
                 'total_llm_input_cached_audio_tokens': 0, 'total_llm_input_cached_text_tokens': 0,
                 'total_llm_output_audio_tokens': 0, 'total_llm_output_text_tokens': 0, 'total_llm_tokens': 0,
                 'total_tts_characters': 0, 'total_tts_audio_duration': 0, 'total_stt_audio_duration': 0,
                 'total_call_duration_minutes': 0}
                """, api.get("/analytics/tokens/summary?start_date=2020-01-01&end_date=2020-01-02", account).data());
        var unknown = api.get("/analytics/tokens/summary?assistant_id=" + UUID.randomUUID(), account);
        assertEquals(404, unknown.status());
    }

    @Test
    void byAssistantIsMostTokensFirstTiesByIdAndOnlyAssistantsWithUsage() {
        var account = api.newAccount("tokens per assistant");
        var low = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        var tiedA = UUID.fromString("00000000-0000-0000-0000-00000000000c");
        var tiedB = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        var without = UUID.randomUUID();
        var calls = api.calls(account);
        calls.add(low, at("2026-03-05T10:00:00Z"), "3", c -> c.setUsage(usage("{'llm_total_tokens': 5, 'tts_characters_count': 7}")));
        calls.add(tiedA, at("2026-03-05T10:00:00Z"), "90", c -> c.setUsage(usage("""
                {'llm_total_tokens': 50, 'llm_input_audio_tokens': 30, 'llm_output_text_tokens': 20,
                 'tts_audio_duration': 1.5, 'stt_audio_duration': 2.25}""")));
        calls.add(tiedA, at("2026-03-06T10:00:00Z"), "30", c -> c.setUsage(usage("{'llm_total_tokens': 50}")));
        calls.add(tiedA, at("2026-03-06T11:00:00Z"), "1000", c -> c.setUsage(null));   // not a usage record: its minutes do not count
        calls.add(tiedB, at("2026-03-07T10:00:00Z"), "0.5", c -> c.setUsage(usage("{'llm_total_tokens': 100}")));
        calls.add(without, at("2026-03-07T10:00:00Z"), "9", c -> c.setUsage(null));

        var response = api.get("/analytics/tokens/by-assistant?" + MARCH, account);

        assertEquals(200, response.status());
        assertJson("""
                {'success': true, 'message': 'Token usage by assistant fetched successfully', 'data': {'assistants': [
                  {'assistant_id': '00000000-0000-0000-0000-00000000000a', 'total_calls': 1, 'total_llm_tokens': 100,
                   'total_llm_input_audio_tokens': 0, 'total_llm_output_text_tokens': 0, 'total_tts_characters': 0,
                   'total_tts_audio_duration': 0, 'total_stt_audio_duration': 0, 'total_call_duration_minutes': 0.50,
                   'total_call_duration_hours': 0.01},
                  {'assistant_id': '00000000-0000-0000-0000-00000000000c', 'total_calls': 2, 'total_llm_tokens': 100,
                   'total_llm_input_audio_tokens': 30, 'total_llm_output_text_tokens': 20, 'total_tts_characters': 0,
                   'total_tts_audio_duration': 1.50, 'total_stt_audio_duration': 2.25, 'total_call_duration_minutes': 120,
                   'total_call_duration_hours': 2},
                  {'assistant_id': '00000000-0000-0000-0000-00000000000b', 'total_calls': 1, 'total_llm_tokens': 5,
                   'total_llm_input_audio_tokens': 0, 'total_llm_output_text_tokens': 0, 'total_tts_characters': 7,
                   'total_tts_audio_duration': 0, 'total_stt_audio_duration': 0, 'total_call_duration_minutes': 3,
                   'total_call_duration_hours': 0.05}]}}
                """, response.json());
    }

    @Test
    void usageCountsTheSameWhicheverWayTheCallArrived() {
        var account = api.newAccount("usage paths");
        var assistant = UUID.randomUUID();
        var usage = "{\"llm_total_tokens\": 7, \"tts_characters_count\": 11, \"stt_audio_duration\": 1.25}";
        var call = "\"assistant_id\": \"" + assistant + "\", \"started_at\": \"2026-03-15T10:00:00Z\", \"call_duration_minutes\": 1, "
                   + "\"usage\": " + usage;
        assertEquals(201, api.send("PUT", "/calls/by-put", account.ingestKey(), "{" + call + "}").status());
        assertEquals(200, api.send("POST", "/calls/import", account.ingestKey(), "{\"room_name\": \"by-import\", " + call + "}\n").status());
        assertEquals(201, api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null,
                                   "{\"success\": true, \"message\": \"ok\", \"data\": {\"room_name\": \"by-webhook\", " + call + "}}").status());
        // a second report of the same call replaces its usage, it does not add to it
        assertEquals(200, api.send("PUT", "/calls/by-put", account.ingestKey(), "{" + call.replace("\"llm_total_tokens\": 7", "\"llm_total_tokens\": 9") + "}").status());

        var data = api.get("/analytics/tokens/summary?" + MARCH, account).data();
        assertEquals(3, data.get("total_records").asInt());
        assertEquals(23, data.get("total_llm_tokens").asInt());
        assertEquals(33, data.get("total_tts_characters").asInt());
        assertEquals("3.75", data.get("total_stt_audio_duration").decimalValue().toPlainString());
    }

    @Test
    void usageNumbersThatCannotBeSummedAreA400NamingTheKeyAndWriteNothing() {
        var account = api.newAccount("bad usage");
        var assistant = UUID.randomUUID();
        for (var bad : List.of(
                new String[]{"{\"llm_total_tokens\": -1}", "usage.llm_total_tokens: must be a number of at least 0, got -1"},
                new String[]{"{\"llm_total_tokens\": 1.5}", "usage.llm_total_tokens: must be a whole number, got 1.5"},
                new String[]{"{\"tts_characters_count\": \"12\"}", "usage.tts_characters_count: must be a number of at least 0, got \"12\""},
                new String[]{"{\"stt_audio_duration\": 1e15}", "usage.stt_audio_duration: must be less than 1e15 with at most 20 decimals, got 1E+15"})) {
            var response = api.send("PUT", "/calls/bad-usage", account.ingestKey(),
                                    "{\"assistant_id\": \"" + assistant + "\", \"started_at\": \"2026-03-15T10:00:00Z\", \"usage\": " + bad[0] + "}");
            assertEquals(400, response.status(), bad[0]);
            assertEquals("Invalid call: " + bad[1], response.message());
        }
        // whole numbers written with a fraction of zeros are whole; seconds may have decimals
        var fine = api.send("PUT", "/calls/fine-usage", account.ingestKey(),
                            "{\"assistant_id\": \"" + assistant + "\", \"started_at\": \"2026-03-15T10:00:00Z\", "
                            + "\"usage\": {\"llm_total_tokens\": 12.000, \"tts_audio_duration\": 0.125}}");
        assertEquals(201, fine.status(), fine.body());
        assertEquals(12, api.get("/analytics/tokens/summary?" + MARCH, account).data().get("total_llm_tokens").asInt());
    }

    @Test
    void everyTokenRouteKeepsToTheCallersAccount() {
        Account mine = api.newAccount("tokens mine");
        Account theirs = api.newAccount("tokens theirs");
        var shared = UUID.randomUUID();
        api.calls(mine).add(shared, at("2026-03-10T09:00:00Z"), "1", c -> c.setRoomName("same").setUsage(usage("{'llm_total_tokens': 1}")));
        api.calls(theirs).add(shared, at("2026-03-10T09:00:00Z"), "1", c -> c.setRoomName("same").setUsage(usage("{'llm_total_tokens': 1000}")));
        var theirsOnly = UUID.randomUUID();
        api.calls(theirs).add(theirsOnly, at("2026-03-10T09:00:00Z"), "1", c -> c.setUsage(usage("{'llm_total_tokens': 5}")));

        assertEquals(1, api.get("/analytics/tokens/summary?" + MARCH, mine).data().get("total_llm_tokens").asInt());
        assertEquals(1, api.get("/analytics/tokens/summary?" + MARCH + "&assistant_id=" + shared, mine).data().get("total_llm_tokens").asInt());
        var assistants = api.get("/analytics/tokens/by-assistant?" + MARCH, mine).data().get("assistants");
        assertEquals(1, assistants.size());
        assertEquals(1, assistants.get(0).get("total_llm_tokens").asInt());
        assertEquals(404, api.get("/analytics/tokens/summary?assistant_id=" + theirsOnly, mine).status());
        assertEquals(403, api.get("/analytics/tokens/summary", mine.ingestKey()).status());
        assertEquals(401, api.get("/analytics/tokens/by-assistant", "ca_not-a-key").status());
    }
}
