package dev.callanalytics.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.analytics.AnalyticsResponses.ByAssistant;
import dev.callanalytics.analytics.AnalyticsResponses.ByPhoneNumber;
import dev.callanalytics.analytics.AnalyticsResponses.ByService;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.rollups.RollupQueries;
import dev.callanalytics.analytics.AnalyticsResponses.ByTime;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.Json;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rollups never change an answer: on random calls, written through every write path
 * (imports, reports that move calls between days, assistants and buckets, stale reports, SQL
 * updates and deletes), every analytics endpoint (the account's and the operator's, calls and
 * token usage) answers random ranges, granularities and filters exactly as the raw calls alone
 * do ({@link RawAnalytics}), to the cent.
 */
class AnalyticsPropertyTest {

    static final Instant NOW = Instant.parse("2026-06-17T15:23:41.123456Z");
    static final long SEED = 20261121L;
    static final ObjectMapper JSON = Json.mapper();

    @RegisterExtension
    static final TestApi api = TestApi.start(Clock.fixed(NOW, ZoneOffset.UTC));
    static RawAnalytics raw;
    static final List<Account> accounts = new ArrayList<>();
    static final List<List<UUID>> assistants = new ArrayList<>();
    static String adminKey;
    /** UTC, offsets of half and quarter hours, and daylight saving in both hemispheres. */
    static final List<String> ZONES = List.of("UTC", "UTC", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "America/New_York",
                                              "Europe/Berlin");

    @BeforeAll
    static void load() {
        raw = new RawAnalytics(api.ctx(), NOW);
        var random = new Random(SEED);
        for (int a = 0; a < 2; a++) {
            var account = api.newAccount("property " + a);
            accounts.add(account);
            var ids = new ArrayList<UUID>();
            for (int i = 0; i < 5; i++) {
                ids.add(new UUID(a * 1000L + i, 42L));
            }
            assistants.add(ids);
            importCalls(account, random, ids, 0, 500);
            // some of the totals' periods folded, the others not: reads sum both kinds of rows
            new RollupQueries(api.ctx()).foldTotals(300);
            // Second reports for half of them: new days, assistants, buckets, durations, stale statuses.
            importCalls(account, random, ids, 0, 250);
        }
        // Analysts' SQL goes through the same triggers.
        var first = accounts.getFirst().id();
        api.ctx().execute("update calls set call_duration_minutes = call_duration_minutes * 2 where account_id = ? and room_name like 'r1%'", first);
        api.ctx().execute("update calls set started_at = started_at - interval '3 days 5 hours' where account_id = ? and room_name like 'r2%'", first);
        api.ctx().execute("delete from calls where account_id = ? and room_name like 'r3%'", first);
        api.ctx().execute("update calls set usage = coalesce(usage, '{}') || '{\"llm_total_tokens\": 77}', call_service = 'plivo'"
                          + " where account_id = ? and room_name like 'r4%'", first);
        api.ctx().execute("update calls set usage = null where account_id = ? and room_name like 'r5%'", first);
        adminKey = api.newKey(api.newAccount("property operator"), EnumSet.of(Scope.ADMIN));
    }

    /** Calls r{from}..r{to-1} over the 70 days around NOW, some in the future, some on midnights. */
    static void importCalls(Account account, Random random, List<UUID> ids, int from, int to) {
        var lines = new StringBuilder();
        var origin = NOW.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(60));
        String[] statuses = {"completed", "completed", "completed", "answered", "initiated", "busy", "failed", "no_answer"};
        for (int i = from; i < to; i++) {
            var started = switch (random.nextInt(6)) {
                case 0 -> origin.plus(Duration.ofDays(random.nextInt(70)));                                  // a midnight
                case 1 -> origin.plus(Duration.ofDays(1 + random.nextInt(70))).minus(1, ChronoUnit.MICROS);  // the last microsecond of a day
                default -> origin.plus(Duration.ofSeconds(random.nextLong(70L * 86_400)).plusNanos(1000L * random.nextInt(1_000_000)));
            };
            var minutes = random.nextInt(8) == 0 ? "null" : BigDecimal.valueOf(random.nextInt(100_000), 4).toPlainString();
            var platform = switch (random.nextInt(6)) {
                case 0 -> "null";
                case 1 -> "\"  \"";
                case 2 -> "\"+15550001\"";
                case 3 -> "\"+15550002\"";
                default -> "\"+15550003\"";
            };
            var type = switch (random.nextInt(8)) {
                case 0 -> "web";
                case 1, 2 -> "inbound";
                default -> "outbound";
            };
            var endReason = switch (random.nextInt(5)) {
                case 0 -> "null";
                case 1 -> "\"\"";
                case 2 -> "\" silence_timeout\"";
                default -> "\"participant_left\"";
            };
            var cost = random.nextInt(4) == 0 ? "null" : BigDecimal.valueOf(random.nextInt(10_000), 3).toPlainString();
            var billable = random.nextInt(4) == 0 ? "null" : String.valueOf(random.nextInt(30));
            var service = switch (random.nextInt(6)) {
                case 0 -> "null";
                case 1 -> "\"  \"";
                case 2 -> "\" exotel\"";
                case 3 -> "\"exotel\"";
                default -> "\"twilio\"";
            };
            var usage = random.nextInt(3) == 0 ? "null" : usage(random);
            lines.append("{\"room_name\": \"r").append(i).append("\", \"assistant_id\": \"").append(ids.get(random.nextInt(ids.size())))
                 .append("\", \"assistant_name\": \"Bot ").append(random.nextInt(3)).append("\", \"call_type\": \"").append(type)
                 .append("\", \"platform_number\": ").append(platform).append(", \"call_service\": ").append(service)
                 .append(", \"usage\": ").append(usage).append(", \"call_end_reason\": ").append(endReason)
                 .append(", \"call_cost\": ").append(cost).append(", \"billable_duration_minutes\": ").append(billable)
                 .append(", \"call_status\": \"").append(statuses[random.nextInt(statuses.length)])
                 .append("\", \"started_at\": \"").append(started).append("\", \"call_duration_minutes\": ").append(minutes).append("}\n");
        }
        var response = api.send("POST", "/calls/import", account.ingestKey(), lines.toString());
        assertEquals(200, response.status(), response.body());
    }

    /** A usage object with some of the keys the token endpoints sum, whole counts and seconds with decimals. */
    static String usage(Random random) {
        var keys = new ArrayList<String>();
        for (var key : List.of("llm_input_audio_tokens", "llm_input_text_tokens", "llm_input_cached_audio_tokens", "llm_input_cached_text_tokens",
                               "llm_output_audio_tokens", "llm_output_text_tokens", "llm_total_tokens", "tts_characters_count")) {
            if (random.nextInt(3) > 0) {
                keys.add("\"" + key + "\": " + random.nextInt(5000));
            }
        }
        for (var key : List.of("tts_audio_duration", "stt_audio_duration")) {
            if (random.nextInt(3) > 0) {
                keys.add("\"" + key + "\": " + BigDecimal.valueOf(random.nextInt(1_000_000), 3).toPlainString());
            }
        }
        return "{" + String.join(", ", keys) + "}";
    }

    @Test
    void theRollupsHoldExactlyWhatTheRawCallsAddUpTo() {
        var differences = api.ctx().fetch("""
                select * from (
                  select account_id, day, assistant_id, phone_bucket, service, sum(calls) as calls, sum(minutes) as minutes,
                         sum(usage_calls) as usage_calls, sum(llm_total_tokens) as tokens, sum(stt_audio_seconds) as stt
                  from call_rollups group by 1, 2, 3, 4, 5 having sum(calls) <> 0 or sum(minutes) <> 0 or sum(usage_calls) <> 0) r
                full join (
                  select account_id, (started_at at time zone 'UTC')::date as day, assistant_id, phone_bucket,
                         coalesce(nullif(btrim(call_service), ''), 'unknown') as service,
                         count(*) as calls, coalesce(sum(call_duration_minutes), 0) as minutes, count(usage) as usage_calls,
                         coalesce(sum((usage ->> 'llm_total_tokens')::numeric), 0) as tokens,
                         coalesce(sum((usage ->> 'stt_audio_duration')::numeric), 0) as stt
                  from calls group by 1, 2, 3, 4, 5) c using (account_id, day, assistant_id, phone_bucket, service)
                where r.calls is distinct from c.calls or r.minutes is distinct from c.minutes
                   or r.usage_calls is distinct from c.usage_calls or r.tokens is distinct from c.tokens or r.stt is distinct from c.stt""");
        assertEquals(0, differences.size(), differences::format);
        var totals = api.ctx().fetch("""
                select * from (
                  select account_id, level, period_start, sum(calls) as calls, sum(minutes) as minutes, sum(llm_total_tokens) as tokens
                  from call_totals group by 1, 2, 3 having sum(calls) <> 0 or sum(minutes) <> 0 or sum(llm_total_tokens) <> 0) t
                full join (
                  select account_id, 'day' as level, date_trunc('day', started_at, 'UTC') as period_start,
                         count(*) as calls, coalesce(sum(call_duration_minutes), 0) as minutes,
                         coalesce(sum((usage ->> 'llm_total_tokens')::numeric), 0) as tokens
                  from calls group by 1, 2, 3
                  union all
                  select account_id, 'quarter', to_timestamp(floor(extract(epoch from started_at) / 900) * 900),
                         count(*), coalesce(sum(call_duration_minutes), 0), coalesce(sum((usage ->> 'llm_total_tokens')::numeric), 0)
                  from calls group by 1, 2, 3
                  union all
                  select uuid_nil, 'day', date_trunc('day', started_at, 'UTC'),
                         count(*), coalesce(sum(call_duration_minutes), 0), coalesce(sum((usage ->> 'llm_total_tokens')::numeric), 0)
                  from calls, (select '00000000-0000-0000-0000-000000000000'::uuid as uuid_nil) n group by 1, 2, 3
                  union all
                  select uuid_nil, 'quarter', to_timestamp(floor(extract(epoch from started_at) / 900) * 900),
                         count(*), coalesce(sum(call_duration_minutes), 0), coalesce(sum((usage ->> 'llm_total_tokens')::numeric), 0)
                  from calls, (select '00000000-0000-0000-0000-000000000000'::uuid as uuid_nil) n group by 1, 2, 3) c
                using (account_id, level, period_start)
                where t.calls is distinct from c.calls or t.minutes is distinct from c.minutes or t.tokens is distinct from c.tokens""");
        assertEquals(0, totals.size(), totals::format);
    }

    @Test
    void everyEndpointAnswersRandomQuestionsAsTheRawCallsDo() throws Exception {
        var random = new Random(SEED + 1);
        for (int i = 0; i < 300; i++) {
            int a = random.nextInt(accounts.size());
            var account = accounts.get(a);
            var zone = ZONES.get(random.nextInt(ZONES.size()));
            var range = randomRange(random, zone);
            var query = range.query() + (zone.equals("UTC") && random.nextBoolean() ? "" : "&timezone=" + zone);
            var label = zone.equals("UTC") ? null : zone;
            Optional<UUID> assistant = random.nextInt(3) == 0 ? Optional.of(assistants.get(a).get(random.nextInt(5))) : Optional.empty();
            var assistantParam = assistant.map(id -> "&assistant_id=" + id).orElse("");
            var expectedRange = range.applied();
            var granularity = Granularity.OF_BY_TIME.get(random.nextInt(3));
            String path;
            Object expected;
            var key = account.readKey();
            var both = accounts.stream().map(Account::id).toList();
            switch (i % 12) {
                case 0 -> {
                    path = "/analytics/dashboard?" + query;
                    expected = raw.dashboard(account.id(), expectedRange, zone, label);
                }
                case 1 -> {
                    path = "/analytics/calls/by-assistant?" + query;
                    expected = new ByAssistant(raw.byAssistant(account.id(), expectedRange), label);
                }
                case 2 -> {
                    path = "/analytics/calls/by-phone-number?" + query + assistantParam;
                    expected = new ByPhoneNumber(raw.byPhoneNumber(account.id(), expectedRange, assistant), label);
                }
                case 3 -> {
                    path = "/analytics/calls/by-time?granularity=" + granularity.label() + "&" + query + assistantParam;
                    expected = new ByTime(raw.byTime(account.id(), expectedRange, granularity, assistant, zone), granularity.label(), label);
                }
                case 4 -> {
                    path = "/analytics/calls/by-service?" + query + assistantParam;
                    expected = new ByService(raw.byService(List.of(account.id()), expectedRange, assistant), label);
                }
                case 5 -> {
                    path = "/analytics/tokens/summary?" + query + assistantParam;
                    expected = raw.tokenSummary(List.of(account.id()), expectedRange, assistant);
                }
                case 6 -> {
                    path = "/admin/analytics/calls/by-service?" + query;
                    expected = new ByService(raw.byService(both, expectedRange, Optional.empty()));
                    key = adminKey;
                }
                case 7 -> {
                    path = "/admin/analytics/calls/by-phone-number?" + query;
                    expected = new ByPhoneNumber(raw.byPhoneNumber(both, expectedRange));
                    key = adminKey;
                }
                case 8 -> {
                    path = "/admin/analytics/tokens/summary?" + query;
                    expected = raw.tokenSummary(both, expectedRange, Optional.empty());
                    key = adminKey;
                }
                case 9 -> {
                    path = "/analytics/calls/by-type?" + query + assistantParam;
                    expected = new AnalyticsResponses.ByType(raw.byOutcome(account.id(), expectedRange, assistant, RawAnalytics.TYPE).stream()
                            .map(o -> new AnalyticsResponses.TypeTotals(o.key(), o.tally())).toList(), label);
                }
                case 10 -> {
                    path = "/analytics/calls/by-end-reason?" + query + assistantParam;
                    expected = new AnalyticsResponses.ByEndReason(raw.byOutcome(account.id(), expectedRange, assistant, RawAnalytics.END_REASON)
                            .stream().map(o -> new AnalyticsResponses.EndReasonTotals(o.key(), o.tally())).toList(), label);
                }
                default -> {
                    path = "/admin/analytics/dashboard?" + query;
                    var totals = raw.adminDashboard(expectedRange);
                    var dashboard = new java.util.LinkedHashMap<String, Object>();
                    for (var field : List.of("total_calls", "total_duration_minutes", "total_duration_hours", "avg_duration_minutes",
                                             "total_active_accounts")) {
                        dashboard.put(field, totals.get(dashboard.size()));
                    }
                    dashboard.put("date_range", expectedRange);
                    expected = dashboard;
                    key = adminKey;
                }
            }
            var response = api.get(path, key);
            assertEquals(200, response.status(), path + ": " + response.body());
            JsonNode expectedJson = JSON.valueToTree(expected);
            try {
                assertJson(expectedJson.toString(), response.data());
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " (seed " + SEED + "): " + path + "\n" + e.getMessage(), e);
            }
        }
    }

    /** What the oracle groups a typed query's dimension by, in its own SQL, and the name the row gives it. */
    static final Map<String, String[]> QUERY_GROUPS = Map.of(
            "assistant", new String[]{"assistant_id::text", "assistant_id"},
            "phone_number", new String[]{"phone_bucket", "phone_number"},
            "service", new String[]{"coalesce(nullif(btrim(call_service), ''), 'unknown')", "service"},
            "status", new String[]{"call_status", "call_status"},
            "type", new String[]{"coalesce(call_type, 'unknown')", "call_type"},
            "end_reason", new String[]{"coalesce(nullif(btrim(call_end_reason), ''), 'unknown')", "end_reason"});
    static final Map<String, String> STEP_LABELS = Map.of(
            "hour", "YYYY-MM-DD\"T\"HH24:00", "day", "YYYY-MM-DD", "week", "IYYY-\"W\"IW", "month", "YYYY-MM", "quarter", "YYYY-\"Q\"Q",
            "year", "YYYY");

    @Test
    void typedQueriesAnswerAsTheRawCallsDo() {
        var random = new Random(SEED + 4);
        var names = List.copyOf(new java.util.TreeSet<>(QUERY_GROUPS.keySet()));
        var steps = List.of("hour", "day", "week", "month", "quarter", "year");
        for (int i = 0; i < 60; i++) {
            var account = accounts.get(random.nextInt(accounts.size()));
            var zone = ZONES.get(random.nextInt(ZONES.size()));
            var range = randomRange(random, zone);
            var groups = new ArrayList<String>();
            for (int g = random.nextInt(3); g > 0; g--) {
                var name = names.get(random.nextInt(names.size()));
                if (!groups.contains(name)) {
                    groups.add(name);
                }
            }
            var step = random.nextInt(3) == 0 ? null : steps.get(random.nextInt(steps.size()));
            boolean raw = random.nextInt(4) == 0;
            var measures = new ArrayList<>(List.of("calls", "minutes", "cost", "billable_minutes", "avg_minutes"));
            if (raw) {
                measures.addAll(List.of("max_minutes", "p90_minutes"));
            }
            var statusFilter = random.nextInt(3) == 0 ? List.of("completed", "busy") : List.<String>of();
            // the query, as a client sends it
            var body = new StringBuilder("{\"timezone\": \"" + zone + "\"");
            for (var part : range.query().split("&")) {
                if (!part.isEmpty()) {
                    var kv = part.split("=", 2);
                    body.append(", \"").append(kv[0]).append("\": \"").append(kv[1]).append("\"");
                }
            }
            if (step != null) {
                body.append(", \"step\": \"").append(step).append("\"");
            }
            body.append(", \"group_by\": [").append(String.join(", ", groups.stream().map(g -> "\"" + g + "\"").toList())).append("]");
            body.append(", \"measures\": [").append(String.join(", ", measures.stream().map(m -> "\"" + m + "\"").toList())).append("]");
            body.append(", \"limit\": 10000, \"filters\": {");
            var filters = new ArrayList<String>();
            if (!statusFilter.isEmpty()) {
                filters.add("\"call_status\": [\"completed\", \"busy\"]");
            }
            if (raw) {
                filters.add("\"min_minutes\": 1.5");
            }
            body.append(String.join(", ", filters)).append("}}");
            var response = api.send("POST", "/analytics/query", account.readKey(), body.toString());
            assertEquals(200, response.status(), body + ": " + response.body());

            // the oracle: plain SQL over the raw calls, written from the same question
            var keys = new ArrayList<String>();
            if (step != null) {
                keys.add("to_char(date_trunc('" + step + "', timezone('" + zone + "', started_at)), '" + STEP_LABELS.get(step) + "')");
            }
            groups.forEach(g -> keys.add(QUERY_GROUPS.get(g)[0]));
            var minutes = "coalesce(call_duration_minutes, 0)";
            var select = new ArrayList<>(keys);
            select.addAll(List.of("count(*)", "sum(" + minutes + ")", "sum(coalesce(call_cost, 0))",
                                  "sum(coalesce(billable_duration_minutes, 0))", "sum(" + minutes + ") / count(*)"));
            if (raw) {
                select.addAll(List.of("max(" + minutes + ")", "(percentile_cont(0.9) within group (order by " + minutes + "))::numeric"));
            }
            var where = "account_id = ? and started_at between ?::timestamptz and ?::timestamptz"
                        + (statusFilter.isEmpty() ? "" : " and call_status in ('completed', 'busy')")
                        + (raw ? " and " + minutes + " >= 1.5" : "");
            var sql = "select " + String.join(", ", select) + " from calls where " + where
                      + (keys.isEmpty() ? "" : " group by " + String.join(", ", keys.stream().map(k -> String.valueOf(keys.indexOf(k) + 1)).toList())
                                                + " order by " + String.join(", ", keys.stream().map(k -> String.valueOf(keys.indexOf(k) + 1)).toList()));
            var expected = new ArrayList<String>();
            for (var r : api.ctx().fetch(sql, account.id(), range.applied().startDate().toString(), range.applied().endDate().toString())) {
                if (r.get(keys.size(), Long.class) == 0) {
                    continue;   // no calls: no row
                }
                var row = new ArrayList<String>();
                for (int k = 0; k < r.size(); k++) {
                    var value = r.get(k);
                    row.add(value instanceof BigDecimal d ? Durations.signedMinutes(d).stripTrailingZeros().toPlainString() : String.valueOf(value));
                }
                expected.add(String.join("|", row));
            }
            var actual = new ArrayList<String>();
            for (var row : response.data().get("rows")) {
                var values = new ArrayList<String>();
                row.forEach(value -> values.add(value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : value.asText()));
                actual.add(String.join("|", values));
            }
            assertEquals(expected, actual, "case " + i + ": " + body);
        }
    }

    @Test
    void tokensByAssistantAnswerAsTheRawCallsDo() {
        var random = new Random(SEED + 3);
        for (int i = 0; i < 40; i++) {
            var account = accounts.get(random.nextInt(accounts.size()));
            var range = randomRange(random);
            var expected = raw.tokensByAssistant(account.id(), range.applied());
            var response = api.get("/analytics/tokens/by-assistant?" + range.query(), account);
            assertEquals(200, response.status(), response.body());
            var actual = new ArrayList<List<Object>>();
            for (var row : response.data().get("assistants")) {
                actual.add(List.of(row.get("assistant_id").asText(), row.get("total_calls").asInt(),
                                   row.get("total_llm_tokens").decimalValue().stripTrailingZeros().toPlainString(),
                                   row.get("total_call_duration_minutes").decimalValue().stripTrailingZeros().toPlainString()));
            }
            assertEquals(expected.toString(), actual.toString(), "case " + i + ": " + range.query());
        }
    }

    @Test
    void callLogTotalsCountTheRawCallsWhateverTheDates() {
        var random = new Random(SEED + 2);
        for (int i = 0; i < 120; i++) {
            int a = random.nextInt(accounts.size());
            var account = accounts.get(a);
            var assistant = assistants.get(a).get(random.nextInt(5));
            var range = randomRange(random);
            // open on one side, the other, both, or neither
            boolean withStart = random.nextBoolean();
            boolean withEnd = random.nextBoolean();
            var query = new StringBuilder("?limit=1");
            var condition = new StringBuilder("account_id = ? and assistant_id = ?");
            var args = new ArrayList<Object>(List.of(account.id(), assistant));
            if (withStart) {
                query.append("&start_date=").append(range.applied().startDate());
                condition.append(" and started_at >= ?::timestamptz");
                args.add(range.applied().startDate().toString());
            }
            if (withEnd) {
                query.append("&end_date=").append(range.applied().endDate());
                condition.append(" and started_at <= ?::timestamptz");
                args.add(range.applied().endDate().toString());
            }
            if (withStart && withEnd && range.applied().startDate().isAfter(range.applied().endDate())) {
                continue;
            }
            long expected = api.ctx().fetchCount(api.ctx().selectFrom("calls").where(condition.toString(), args.toArray()));
            var response = api.get("/assistant/call-logs/" + assistant + query, account);
            assertEquals(200, response.status(), response.body());
            assertEquals(expected, response.data().get("pagination").get("total").asLong(), "case " + i + ": " + query);
        }
    }

    /** A range as the query string says it and as the server applies it. */
    record RandomRange(String query, DateRange applied) {
    }

    static RandomRange randomRange(Random random) {
        return randomRange(random, "UTC");
    }

    static RandomRange randomRange(Random random, String zone) {
        var day0 = NOW.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(62));
        var a = day0.plus(Duration.ofSeconds(random.nextLong(75L * 86_400)));
        var b = day0.plus(Duration.ofSeconds(random.nextLong(75L * 86_400)));
        var start = a.isBefore(b) ? a : b;
        var end = a.isBefore(b) ? b : a;
        return switch (random.nextInt(5)) {
            case 0 -> new RandomRange("", new DateRange(NOW.minus(DateRange.DEFAULT_LENGTH), NOW));  // the 30-day default
            case 1 -> {                                                                                // bare dates: whole days of the zone
                var first = LocalDate.ofInstant(start, ZoneOffset.UTC);
                var last = LocalDate.ofInstant(end, ZoneOffset.UTC);
                // as PostgreSQL places the zone's midnights (not as the server under test does)
                var bounds = api.ctx().fetchSingle("select (?::date)::timestamp at time zone ?, ((?::date + 1)::timestamp at time zone ?)"
                                                   + " - interval '1 microsecond'", first.toString(), zone, last.toString(), zone);
                yield new RandomRange("start_date=" + first + "&end_date=" + last,
                                      new DateRange(bounds.get(0, OffsetDateTime.class).toInstant(), bounds.get(1, OffsetDateTime.class).toInstant()));
            }
            case 2 -> {                                                                                // midnight to midnight
                var first = start.truncatedTo(ChronoUnit.DAYS);
                var last = end.truncatedTo(ChronoUnit.DAYS);
                yield new RandomRange("start_date=" + first + "&end_date=" + last, new DateRange(first, last));
            }
            case 3 -> {                                                                                // start only: up to now
                var since = start.isAfter(NOW) ? NOW.minus(Duration.ofHours(30)) : start;
                yield new RandomRange("start_date=" + since, new DateRange(since, NOW));
            }
            default -> new RandomRange("start_date=" + start + "&end_date=" + end, new DateRange(start, end));
        };
    }
}
