package dev.callanalytics.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.ReaderRole;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.jooq.JSONB;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every SQL block of the README's sections for analysts and BI, read from README.md so that the
 * README cannot drift: each runs as a reader role of one account, and each that names an API
 * answer ("-- GET /...") gives that answer's numbers, on data of two accounts.
 */
class AnalystQueriesTest {

    /** The assistant whose call logs the README lists. */
    static final UUID LOGS_ASSISTANT = UUID.fromString("42590336-7422-3383-ade2-5b12e8889a78");
    static final List<String> SECTIONS = List.of("## For analysts", "## BI on a replica");

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Account mine;
    static ReaderRole reader;

    @BeforeAll
    static void load() {
        mine = api.newAccount("analysed");
        var other = api.newAccount("someone else");
        loadCalls(mine, new Random(7));
        loadCalls(other, new Random(8));
        reader = ReaderRole.create(Cli.environment(api.database()), "analyst", mine.id());
    }

    /**
     * Calls from late November 2025 to early April 2026 (both ends of the README's ranges, ISO
     * weeks across the new year), of five assistants, one renamed half way, in every phone
     * bucket, some without a duration, some at the same instant, with transcripts; and calls of
     * today, this week and this month, and one not started yet.
     */
    static void loadCalls(Account account, Random random) {
        var calls = api.calls(account);
        var assistants = List.of(LOGS_ASSISTANT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        var numbers = new String[] {"+918065550101", "+918065550102", " +14155550123 ", "", null};
        var services = new String[] {"exotel", "twilio", " twilio", "", null};
        var from = Instant.parse("2025-11-25T00:00:00Z");
        for (int i = 0; i < 900; i++) {
            var assistant = assistants.get(random.nextInt(assistants.size()));
            var startedAt = from.plusSeconds(random.nextLong(Duration.ofDays(132).toSeconds()));
            if (i % 50 == 0) {
                startedAt = Instant.parse("2026-03-31T23:59:59.999999Z"); // the last instant of the README's ranges
            } else if (i % 50 == 1) {
                startedAt = Instant.parse("2026-04-01T00:00:00Z"); // the first after them
            }
            var minutes = random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(2000), 2 + random.nextInt(2)).toPlainString();
            int bucket = random.nextInt(7);
            boolean renamed = startedAt.isAfter(Instant.parse("2026-02-01T00:00:00Z"));
            var call = calls.add(assistant, startedAt, minutes, c -> c
                    .setAssistantName((renamed ? "Renamed " : "Bot ") + c.getAssistantId().toString().substring(0, 4))
                    .setCallType(bucket == 5 ? "web" : "outbound")
                    .setPlatformNumber(bucket < numbers.length ? numbers[bucket] : "+918065550101")
                    .setCallStatus(random.nextInt(4) == 0 ? "no_answer" : "completed")
                    .setEndedAt(c.getStartedAt().plusMinutes(3))
                    .setCallCost(random.nextBoolean() ? null : BigDecimal.valueOf(random.nextInt(500), 2))
                    .setCallService(services[random.nextInt(services.length)])
                    .setUsage(random.nextInt(3) == 0 ? null : JSONB.valueOf("{\"llm_total_tokens\": " + random.nextInt(9000)
                              + ", \"tts_characters_count\": " + random.nextInt(900) + ", \"stt_audio_duration\": "
                              + BigDecimal.valueOf(random.nextInt(90_000), 3) + "}")));
            if (assistant.equals(LOGS_ASSISTANT) && random.nextBoolean()) {
                calls.transcript(call, 0, "agent", "Hello from call " + i, startedAt.plusSeconds(5));
                calls.transcript(call, 1, "user", "Hi", random.nextBoolean() ? null : startedAt.plusSeconds(9));
            }
        }
        var now = Instant.now();
        for (var startedAt : List.of(now.minusSeconds(600), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(9)), now.plus(Duration.ofDays(1)))) {
            calls.add(LOGS_ASSISTANT, startedAt, "2.5");
        }
    }

    /** A fenced SQL block of the README, and the API answer its first line names, if any. */
    record Block(String sql, String apiPath) {
    }

    static List<Block> readmeBlocks() throws IOException {
        var readme = Files.readString(Path.of("README.md"));
        var blocks = new ArrayList<Block>();
        for (var heading : SECTIONS) {
            int start = readme.indexOf("\n" + heading + "\n");
            assertTrue(start >= 0, "README.md has a section " + heading);
            int end = readme.indexOf("\n## ", start + heading.length() + 1);
            var section = readme.substring(start, end < 0 ? readme.length() : end);
            var fence = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(section);
            while (fence.find()) {
                var sql = fence.group(1);
                var api = Pattern.compile("^-- (GET \\S+)").matcher(sql);
                blocks.add(new Block(sql, api.find() ? api.group(1).substring(4) : null));
            }
        }
        return blocks;
    }

    @Test
    void everySqlBlockOfTheReadmeRunsAsAReaderAndGivesTheApisNumbers() throws Exception {
        var blocks = readmeBlocks();
        assertTrue(blocks.stream().filter(b -> b.apiPath() != null).count() >= 9,
                   "the five questions (dashboard totals and periods, by assistant, by number, by time at three granularities, call logs "
                   + "and their transcripts) each have a block");
        try (var session = reader.connect()) {
            for (var block : blocks) {
                var rows = rows(session, block.sql());
                assertFalse(rows.isEmpty(), "no rows from\n" + block.sql());
                if (block.apiPath() != null) {
                    var answer = api.get(block.apiPath(), mine.readKey());
                    assertEquals(200, answer.status(), block.apiPath());
                    compare(block, rows, answer.data());
                }
            }
        }
    }

    @Test
    void theQuestionsFitInFiveLinesOfSql() throws IOException {
        for (var block : readmeBlocks()) {
            long lines = block.sql().lines().filter(line -> !line.isBlank() && !line.startsWith("--")).count();
            assertTrue(lines <= 5, lines + " lines:\n" + block.sql());
        }
    }

    /** The rows against the answer: an object's fields, or the first list's elements in order, column by column. */
    static void compare(Block block, List<Map<String, Object>> rows, JsonNode data) {
        var where = block.apiPath() + "\n" + block.sql();
        if (block.sql().contains("reporting.transcripts")) {
            var expected = new ArrayList<Map<String, JsonNode>>();
            for (var log : data.get("logs")) {
                for (var line : log.get("transcripts")) {
                    var fields = new LinkedHashMap<String, JsonNode>();
                    fields.put("room_name", log.get("room_name"));
                    fields.put("speaker", line.get("speaker"));
                    fields.put("text", line.get("text"));
                    fields.put("spoken_at", line.get("timestamp"));
                    expected.add(fields);
                }
            }
            expected.sort(java.util.Comparator.comparing(m -> m.get("room_name").asText()));
            assertEquals(expected.size(), rows.size(), where);
            for (int i = 0; i < rows.size(); i++) {
                for (var column : rows.get(i).entrySet()) {
                    assertSame(expected.get(i).get(column.getKey()), column.getValue(), where + "\nrow " + i + ", " + column.getKey());
                }
            }
            return;
        }
        JsonNode list = null;
        for (var field : data) {
            if (field.isArray()) {
                list = field;
                break;
            }
        }
        if (list == null) {
            assertEquals(1, rows.size(), where);
            rows.getFirst().forEach((column, value) -> assertSame(data.get(column), value, where + "\n" + column));
            return;
        }
        assertEquals(list.size(), rows.size(), where);
        for (int i = 0; i < rows.size(); i++) {
            for (var column : rows.get(i).entrySet()) {
                var json = column.getKey().equals("total") ? data.get("pagination").get("total") : list.get(i).get(column.getKey());
                assertNotNull(json, where + "\nthe answer has no field " + column.getKey());
                assertSame(json, column.getValue(), where + "\nrow " + i + ", " + column.getKey());
            }
        }
    }

    static void assertSame(JsonNode json, Object value, String where) {
        if (json == null || json.isNull()) {
            assertEquals(null, value, where);
        } else if (json.isNumber()) {
            assertNotNull(value, where);
            assertEquals(0, json.decimalValue().compareTo(new BigDecimal(value.toString())), where + ": " + json + " vs " + value);
        } else if (value instanceof Timestamp timestamp) {
            // the API writes milliseconds (the contract's format)
            assertEquals(Instant.parse(json.asText()), timestamp.toInstant().truncatedTo(ChronoUnit.MILLIS), where);
        } else {
            assertEquals(json.asText(), String.valueOf(value), where);
        }
    }

    static List<Map<String, Object>> rows(Connection session, String sql) throws SQLException {
        try (var statement = session.createStatement(); var result = statement.executeQuery(sql)) {
            var rows = new ArrayList<Map<String, Object>>();
            var meta = result.getMetaData();
            while (result.next()) {
                var row = new LinkedHashMap<String, Object>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.put(meta.getColumnLabel(c), result.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            fail(e.getMessage() + "\n" + sql);
            throw e;
        }
    }
}
