package dev.callanalytics.ingest;

import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Call reports that look valid enough to pass a quick glance and once answered 500 (or worse, a
 * heap exhausted, a character silently changed): each is a 400 naming the field, in an import a
 * listed bad line, and nothing is written.
 */
class HostileReportsTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static final String ASSISTANT = "550e8400-e29b-41d4-a716-446655440000";
    static final String BASE = "\"assistant_id\": \"" + ASSISTANT + "\", \"started_at\": \"2026-03-10T09:00:00Z\"";

    static int calls(Account account) {
        return api.ctx().fetchCount(CALLS, CALLS.ACCOUNT_ID.eq(account.id()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an 11-byte number of a billion digits | "call_duration_minutes": 1e999999999 | call_duration_minutes: must be less than 1e12, got 1E+999999999
            a huge exponent                     | "call_cost": 1e200000 | call_cost: must be less than 1e12, got 1E+200000
            a tiny exponent                     | "call_cost": 1e-20000 | call_cost: at most 20 digits after the decimal point, got 1E-20000
            a negative huge number              | "call_duration_minutes": -1e999999999 | call_duration_minutes: must be less than 1e12, got -1E+999999999
            year 0                              | "ended_at": "0000-03-10T09:00:00Z" | ended_at: '0000-03-10T09:00:00Z' is outside years 0001 to 9999 (UTC)
            year 10000                          | "answered_at": "+10000-03-10T09:00:00Z" | answered_at: '+10000-03-10T09:00:00Z' is outside years 0001 to 9999 (UTC)
            year 1 before UTC                   | "agent_ready_at": "0001-01-01T00:30:00+01:00" | agent_ready_at: '0001-01-01T00:30:00+01:00' is outside years 0001 to 9999 (UTC)
            NUL in usage                        | "usage": {"llm": {"model": "gpt\\u0000"}} | usage.llm.model: must not contain NUL characters
            NUL in a usage key                  | "usage": {"a\\u0000b": 1} | usage: a key must not contain NUL characters
            a number jsonb cannot hold          | "usage": {"tokens": [1, 1e200000]} | usage.tokens[1]: the number 1E+200000 is out of range
            a lone surrogate in a name          | "assistant_name": "Bot \\ud800" | assistant_name: must not contain a lone UTF-16 surrogate (\\ud800 at character 4)
            a lone low surrogate in a transcript | "transcripts": [{"speaker": "agent", "text": "\\udc00hi"}] | transcripts[0].text: must not contain a lone UTF-16 surrogate (\\udc00 at character 0)
            a transcript timestamp in year 0    | "transcripts": [{"speaker": "agent", "timestamp": "0000-01-01T00:00:00Z"}] | transcripts[0].timestamp: '0000-01-01T00:00:00Z' is outside years 0001 to 9999 (UTC)
            """)
    void aBadValueIsA400NamingTheFieldAndWritesNothing(String what, String field, String problem) {
        var account = api.newAccount(what);
        var response = api.send("PUT", "/calls/room-1", account.ingestKey(), "{" + BASE + ", " + field + "}");
        assertEquals(400, response.status(), response.body());
        assertEquals("Invalid call: " + problem, response.message());
        // the same in a webhook, and as a line of an import, where it is a listed bad line
        var webhook = api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null,
                               "{\"data\": {\"room_name\": \"room-2\", " + BASE + ", " + field + "}}");
        assertEquals(400, webhook.status(), webhook.body());
        assertEquals("Invalid call: " + problem, webhook.message());
        var imported = api.send("POST", "/calls/import", account.ingestKey(),
                                "{\"room_name\": \"ok\", " + BASE + "}\n{\"room_name\": \"bad\", " + BASE + ", " + field + "}\n");
        assertEquals(400, imported.status(), imported.body());
        assertEquals(problem, imported.data().get("errors").get(0).get("error").asText());
        assertEquals(2, imported.data().get("errors").get(0).get("line").asInt());
        assertEquals(0, calls(account));
        // with on_error=skip the good line is written, the bad one listed
        var skipped = api.send("POST", "/calls/import?on_error=skip", account.ingestKey(),
                               "{\"room_name\": \"ok\", " + BASE + "}\n{\"room_name\": \"bad\", " + BASE + ", " + field + "}\n");
        assertEquals(200, skipped.status(), skipped.body());
        assertEquals(1, calls(account));
    }

    @Test
    void anExplicitNullRoomNameIsRequiredNotA500() {
        var account = api.newAccount("null room");
        var webhook = api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null,
                               "{\"data\": {\"room_name\": null, " + BASE + "}}");
        assertEquals(400, webhook.status(), webhook.body());
        assertEquals("Invalid call: room_name: required", webhook.message());
        var imported = api.send("POST", "/calls/import", account.ingestKey(), "{\"room_name\": null, " + BASE + "}\n");
        assertEquals(400, imported.status(), imported.body());
        assertEquals("room_name: required", imported.data().get("errors").get(0).get("error").asText());
        assertEquals(0, calls(account));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /calls/a%00b | room_name in the URL: must not contain NUL characters
            /calls/a%0Ab | room_name in the URL: must not contain control characters
            /calls/%20%20 | room_name in the URL: must be 1 to 512 characters, not blank
            /calls/a%C3%28 | room_name in the path: the percent-escapes are not UTF-8
            """)
    void aRoomNameInThePathThatCannotBeStoredIsA400(String path, String problem) {
        var account = api.newAccount("path " + path);
        var response = api.send("PUT", path, account.ingestKey(), "{" + BASE + "}");
        assertEquals(400, response.status(), response.body());
        assertTrue(response.message().equals("Invalid call: " + problem) || response.message().equals("Invalid " + problem),
                   response.message());
        assertEquals(0, calls(account));
    }

    @Test
    void aRenameToALoneSurrogateIsRefusedAndOneWithQuotesAndBackslashesKeptExactly() {
        var account = api.newAccount("rename");
        assertEquals(201, api.send("PUT", "/calls/r1", account.ingestKey(), "{" + BASE + "}").status());
        var surrogate = api.send("PUT", "/assistants/" + ASSISTANT, account.ingestKey(), "{\"assistant_name\": \"x\\udbff\"}");
        assertEquals(400, surrogate.status());
        assertEquals("Invalid assistant_name: must not contain a lone UTF-16 surrogate (\\udbff at character 1)", surrogate.message());
        // bound, never inlined: quotes and backslashes arrive as sent
        var name = "O'Brien \\' \\\\ '); DROP TABLE calls; --";
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("assistant_name", name).toString();
        assertEquals(200, api.send("PUT", "/assistants/" + ASSISTANT, account.ingestKey(), json).status());
        assertEquals(name, api.ctx().fetchValue(ASSISTANTS.ASSISTANT_NAME, ASSISTANTS.ACCOUNT_ID.eq(account.id())));
        assertEquals(name, api.get("/analytics/calls/by-assistant?start_date=2026-03-01&end_date=2026-03-31", account.readKey())
                              .data().get("assistants").get(0).get("assistant_name").asText());
    }

    @Test
    void fiftyConcurrentHugeNumbersAreFiftyFast400s() throws Exception {
        var account = api.newAccount("heap");
        var tasks = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < 50; i++) {
            var body = "{" + BASE + ", \"call_duration_minutes\": 1e99999999" + (i % 10) + ", \"usage\": {\"n\": 1e99999999}}";
            tasks.add(() -> api.send("PUT", "/calls/heap-" + UUID.randomUUID(), account.ingestKey(), body).status());
        }
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (var status : pool.invokeAll(tasks)) {
                assertEquals(400, status.get());
            }
        }
        assertEquals(200, api.get("/health/live", (String) null).status());
        assertEquals(0, calls(account));
    }

    @Test
    void anImportOfHugeBadValuesAnswersWithAFewDozenCharactersOfEach() {
        var account = api.newAccount("echo");
        var big = "x".repeat(100_000);
        var body = IntStream.range(0, 150)
                            .mapToObj(i -> "{\"room_name\": \"r" + i + "\", " + BASE + ", \"call_type\": \"" + big + "\", \"call_status\": \"" + big + "\"}")
                            .collect(Collectors.joining("\n"));
        var response = api.send("POST", "/calls/import", account.ingestKey(), body);
        assertEquals(400, response.status());
        assertEquals(150, response.data().get("rejected").asInt());
        assertEquals(100, response.data().get("errors").size(), "the first 100 are listed");
        assertTrue(response.body().length() < 40_000, "the answer is " + response.body().length() + " bytes");
        assertEquals("call_type: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not one of outbound, inbound, web; "
                     + "call_status: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not one of initiated, answered, completed, busy, "
                     + "no_answer, rejected, cancelled, unreachable, timeout, failed",
                     response.data().get("errors").get(0).get("error").asText());
        assertEquals(0, calls(account));
    }

    @Test
    void whatFollowsTheJsonOfABodyOrALineIsAnErrorNotIgnored() {
        var account = api.newAccount("trailing");
        assertEquals(201, api.send("PUT", "/calls/t1", account.ingestKey(), "{" + BASE + "}").status());
        var rename = api.send("PUT", "/assistants/" + ASSISTANT, account.ingestKey(),
                              "{\"assistant_name\": \"Fuzz Bot\"}\n{\"assistant_name\": \"\\u0000\"}");
        assertEquals(400, rename.status(), rename.body());
        assertTrue(rename.message().startsWith("Malformed JSON: Trailing token"), rename.message());
        assertEquals(400, api.send("PUT", "/calls/t2", account.ingestKey(), "{" + BASE + "} {\"call_status\": \"busy\"}").status());
        var line = api.send("POST", "/calls/import", account.ingestKey(), "{\"room_name\": \"t3\", " + BASE + "} garbage\n");
        assertEquals(400, line.status(), line.body());
        assertEquals(1, calls(account));
    }

    @Test
    void malformedJsonIsDescribedInOurWordsWithoutJacksonsClassNames() {
        var account = api.newAccount("json");
        for (var body : List.of("{\"a\": " + "9".repeat(2000) + "}", "[".repeat(1200) + "]".repeat(1200), "{\"a\": \"unterminated",
                                "{\"a\": NaN}", "{\"a\": 1}{\"b\": 2}", "\uFEFF{}")) {
            var response = api.send("PUT", "/calls/room-json", account.ingestKey(), body);
            assertEquals(400, response.status(), body.substring(0, Math.min(40, body.length())));
            assertTrue(!response.message().contains("`") && !response.message().contains("com.fasterxml")
                       && !response.message().contains("Source:") && response.message().length() < 300, response.message());
        }
    }
}
