package dev.callanalytics.bench;

import dev.callanalytics.admin.AdminSql;
import dev.callanalytics.analytics.ApiSql;
import dev.callanalytics.calllogs.CallLogsSql;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.app.Database;
import dev.callanalytics.app.Settings;
import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.bench.BenchKit.Server;
import dev.callanalytics.demo.ReferenceData;

import javax.sql.DataSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.callanalytics.bench.BenchKit.fmt;
import static dev.callanalytics.bench.BenchKit.machine;
import static dev.callanalytics.bench.BenchKit.run;
import static dev.callanalytics.bench.BenchKit.timeHttp;
import static dev.callanalytics.bench.BenchKit.timeSql;
import static dev.callanalytics.bench.BenchKit.which;

/**
 * Analytics speed at scale, side by side, in one run on one machine, for the largest account of
 * the reference data set ({@link ReferenceData}): each endpoint over HTTP (a separate server
 * process with -Xmx256m) beside the plain SQL an analyst would write on the calls table, run
 * through JDBC on the same database; then 32 connections for 30 s on the dashboard (wrk) beside
 * pgbench running the API's own dashboard SQL; the server's peak resident memory. Writes
 * bench/RESULTS.md.
 *
 * <p>Run: {@code ./mvnw -q -Pbench-analytics process-test-classes [-Dcalls=10000000]} (after
 * {@code ./mvnw -q package -DskipTests}); the data set is generated once into
 * target/bench/reference-N and reused.
 */
public final class AnalyticsBenchmark {

    private static final int WARMUP = 10;
    private static final int REQUESTS = 50;
    /** The plain SQL of a year takes seconds a run: up to 50 runs, but no more than this long. */
    private static final Duration SQL_BUDGET = Duration.ofSeconds(20);

    /** An endpoint, the plain SQL an analyst would write for it, and the API's own SQL (null when not rendered). */
    record Case(String name, String path, String sql, List<Object> params, String apiSql, String body) {

        Case(String name, String path, String sql, List<Object> params) {
            this(name, path, sql, params, null, null);
        }

        /** A typed query: POST /analytics/query with {@code body}. */
        static Case query(String name, String body, String sql, List<Object> params) {
            return new Case(name, "/analytics/query", sql, params, null, body);
        }

        Case withApiSql(String apiSql) {
            return new Case(name, path, sql, params, apiSql, body);
        }

        /** The operator's routes, read with the admin key. */
        boolean admin() {
            return path.startsWith("/admin/");
        }
    }

    /** The embedded PostgreSQL's password, for pgbench. */
    private static String pgPassword;

    public static void main(String[] args) throws Exception {
        long calls = Long.getLong("calls", 10_000_000L);
        var out = new PrintWriter(System.out, true);
        var dataDir = Path.of("target", "bench", "reference-" + calls).toAbsolutePath();
        int dbPort = Integer.getInteger("dbPort", 54400);
        var settings = Settings.fromEnvironment(Map.of("DATA_DIR", dataDir.toString(), "EMBEDDED_DB_PORT", String.valueOf(dbPort),
                                                       "QUERY_TIMEOUT_SECONDS", "600"));
        try (var database = Database.connect(settings)) {
            pgPassword = database.target().password();
            var ctx = Database.dsl(database.dataSource());
            var account = ReferenceData.account(0);
            double loadRate = 0;
            if (ctx.fetchCount(ctx.selectFrom("calls").where("account_id = ?", account)) == 0) {
                out.printf("generating %,d calls in %s%n", calls, dataDir);
                loadRate = ReferenceData.load(database.dataSource(), ctx, calls, out);
            }
            out.println("VACUUM ANALYZE (visibility map and statistics, as autovacuum would leave them)");
            ctx.execute("VACUUM ANALYZE");
            long stored = ctx.fetchCount(ctx.selectFrom("calls"));
            long largest = ctx.fetchCount(ctx.selectFrom("calls").where("account_id = ?", account));
            var key = ApiKey.generate();
            new AccountQueries(ctx).createKey(account, key, Set.of(Scope.READ));
            var adminKey = ApiKey.generate();
            new AccountQueries(ctx).createKey(account, adminKey, Set.of(Scope.ADMIN));
            var assistant = ReferenceData.assistants(0).getFirst();
            var busiest = ctx.fetchValue("select assistant_id from calls where account_id = ? group by 1 order by count(*) desc limit 1", account);

            try (var server = Server.start(dbPort, database.target().password(), "server.log")) {
                var base = server.base();
                var now = Instant.now();
                var results = new ArrayList<String[]>();
                var cases = cases(account, (UUID) busiest, now).stream()
                                                                .map(c -> c.withApiSql(apiSql(database.dataSource(), c, account, (UUID) busiest, now)))
                                                                .toList();
                out.println("warming up the server: every case " + WARMUP + " times");
                for (var c : cases) {
                    timeHttp(base + c.path(), c.admin() ? adminKey : key, c.body(), WARMUP);
                }
                var apiP50 = new HashMap<String, Double>();
                try (Connection jdbc = database.dataSource().getConnection()) {
                    for (var c : cases) {
                        var api = timeHttp(base + c.path(), c.admin() ? adminKey : key, c.body(), REQUESTS);
                        apiP50.put(c.name(), api.p50());
                        var own = c.apiSql() == null ? null : timeSql(jdbc, c.apiSql(), List.of(), REQUESTS, SQL_BUDGET);
                        var sql = timeSql(jdbc, c.sql(), c.params(), REQUESTS, SQL_BUDGET);
                        results.add(new String[]{c.name(), fmt(api.p50()), fmt(api.p95()), own == null ? "-" : fmt(own.p50()),
                                                 own == null ? "-" : fmt(api.p50() - own.p50()), fmt(sql.p50()), fmt(sql.p95()),
                                                 String.valueOf(sql.runs()), String.format("%.1f×", sql.p50() / api.p50())});
                        out.printf("%-52s API p50 %8s p95 %8s own SQL %8s | plain SQL p50 %9s p95 %9s (%d runs) | %s%n", c.name(),
                                   fmt(api.p50()), fmt(api.p95()), results.getLast()[3], fmt(sql.p50()), fmt(sql.p95()), sql.runs(),
                                   results.getLast()[8]);
                    }
                }
                var operator = new ArrayList<String[]>();
                for (int days : new int[]{30, 365}) {
                    double across = apiP50.get("operator's dashboard, every account, " + days + " days");
                    double own = apiP50.get("dashboard, " + days + " days");
                    operator.add(new String[]{days + " days", fmt(across), fmt(own), String.format("%.2f", across / own)});
                }
                var load = load(base, key, ApiSql.dashboard(database.dataSource(), account, now), dbPort, out);
                write(out, calls, stored, largest, loadRate, results, operator, load, server.peakRssKb());
            }
        }
        System.exit(0);
    }

    private static List<Case> cases(UUID account, UUID assistant, Instant now) {
        var cases = new ArrayList<Case>();
        for (int days : new int[]{30, 365}) {
            var start = now.minus(Duration.ofDays(days));
            var range = "start_date=" + start + "&end_date=" + now;
            var ts = List.<Object>of(account, Timestamp.from(start), Timestamp.from(now));
            var today = Timestamp.from(now.truncatedTo(ChronoUnit.DAYS));
            var monday = Timestamp.from(LocalDate.ofInstant(now, ZoneOffset.UTC)
                                                 .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                                                 .atStartOfDay(ZoneOffset.UTC).toInstant());
            var first = Timestamp.from(LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            var nowTs = Timestamp.from(now);
            cases.add(new Case("dashboard, " + days + " days", "/analytics/dashboard?" + range,
                    "select count(*) filter (where started_at between ? and ?), sum(call_duration_minutes) filter (where started_at between ? and ?),"
                    + " count(*) filter (where started_at between ? and ?), count(*) filter (where started_at between ? and ?),"
                    + " count(*) filter (where started_at between ? and ?) from calls where account_id = ?"
                    + " and started_at between least(?::timestamptz, ?::timestamptz) and ?",
                    List.of(ts.get(1), ts.get(2), ts.get(1), ts.get(2), today, nowTs, monday, nowTs, first, nowTs, account,
                            ts.get(1), first, nowTs)));
            cases.add(new Case("by-assistant, " + days + " days", "/analytics/calls/by-assistant?" + range,
                    "select c.assistant_id, a.assistant_name, count(*), sum(c.call_duration_minutes) from calls c"
                    + " join assistants a using (account_id, assistant_id) where c.account_id = ? and c.started_at between ? and ?"
                    + " group by 1, 2 order by 4 desc nulls last, 3 desc, 1", ts));
            for (boolean filtered : new boolean[]{false, true}) {
                var filter = filtered ? " and assistant_id = ?" : "";
                var params = new ArrayList<>(ts);
                if (filtered) {
                    params.add(assistant);
                }
                var label = filtered ? ", one assistant" : "";
                var query = filtered ? "&assistant_id=" + assistant : "";
                cases.add(new Case("by-phone-number, " + days + " days" + label, "/analytics/calls/by-phone-number?" + range + query,
                        "select phone_bucket, count(*), sum(call_duration_minutes) from calls where account_id = ?"
                        + " and started_at between ? and ?" + filter + " group by 1 order by 3 desc nulls last, 1", params));
                for (var g : new String[][]{{"day", "YYYY-MM-DD"}, {"week", "IYYY-\"W\"IW"}, {"month", "YYYY-MM"}}) {
                    cases.add(new Case("by-time " + g[0] + ", " + days + " days" + label,
                            "/analytics/calls/by-time?granularity=" + g[0] + "&" + range + query,
                            "select to_char(timezone('UTC', started_at), '" + g[1] + "') as bucket, count(*), sum(call_duration_minutes)"
                            + " from calls where account_id = ? and started_at between ? and ?" + filter + " group by 1 order by 1", params));
                }
            }
        }
        cases.addAll(platformCases(account, assistant, now));
        cases.addAll(beyondCases(account, now));
        for (int page : new int[]{1, 500}) {
            cases.add(new Case("call logs page " + page + ", limit 100", "/assistant/call-logs/" + assistant + "?limit=100&page=" + page,
                    "with page as (select * from calls where account_id = ? and assistant_id = ?"
                    + " order by started_at desc nulls last, room_name limit 100 offset " + (page - 1) * 100 + ")"
                    + " select p.*, t.speaker, t.text, t.spoken_at, (select count(*) from calls where account_id = ? and assistant_id = ?)"
                    + " from page p left join transcripts t on t.account_id = p.account_id and t.room_name = p.room_name"
                    + " order by p.started_at desc nulls last, p.room_name, t.spoken_at, t.position",
                    List.of(account, assistant, account, assistant)));
        }
        return cases;
    }

    /** What one call's usage adds, as an analyst sums it from the jsonb of the raw calls. */
    private static String usage(String key) {
        return "sum((usage ->> '" + key + "')::numeric)";
    }

    private static final String SERVICE = "coalesce(nullif(btrim(call_service), ''), 'unknown')";

    /** The platform's later endpoints: by service, token usage, and the operator's view across every account. */
    private static List<Case> platformCases(UUID account, UUID assistant, Instant now) {
        var cases = new ArrayList<Case>();
        for (int days : new int[]{30, 365}) {
            var start = now.minus(Duration.ofDays(days));
            var range = "start_date=" + start + "&end_date=" + now;
            var ts = List.<Object>of(account, Timestamp.from(start), Timestamp.from(now));
            var everywhen = List.<Object>of(Timestamp.from(start), Timestamp.from(now));
            var oneAssistant = new ArrayList<>(ts);
            oneAssistant.add(assistant);
            var byService = "select " + SERVICE + ", count(*), sum(call_duration_minutes) from calls where account_id = ?"
                            + " and started_at between ? and ?";
            cases.add(new Case("by-service, " + days + " days", "/analytics/calls/by-service?" + range,
                    byService + " group by 1 order by 3 desc nulls last, 1", ts));
            cases.add(new Case("by-service, " + days + " days, one assistant", "/analytics/calls/by-service?" + range + "&assistant_id=" + assistant,
                    byService + " and assistant_id = ? group by 1 order by 3 desc nulls last, 1", oneAssistant));
            var summary = "select count(*), " + usage("llm_input_audio_tokens") + ", " + usage("llm_input_text_tokens") + ", "
                          + usage("llm_input_cached_audio_tokens") + ", " + usage("llm_input_cached_text_tokens") + ", "
                          + usage("llm_output_audio_tokens") + ", " + usage("llm_output_text_tokens") + ", " + usage("llm_total_tokens") + ", "
                          + usage("tts_characters_count") + ", " + usage("tts_audio_duration") + ", " + usage("stt_audio_duration")
                          + ", sum(call_duration_minutes) from calls where usage is not null";
            cases.add(new Case("tokens summary, " + days + " days", "/analytics/tokens/summary?" + range,
                    summary + " and account_id = ? and started_at between ? and ?", ts));
            var perKey = usage("llm_total_tokens") + ", " + usage("llm_input_audio_tokens") + ", " + usage("llm_output_text_tokens") + ", "
                         + usage("tts_characters_count") + ", " + usage("tts_audio_duration") + ", " + usage("stt_audio_duration")
                         + ", sum(call_duration_minutes) from calls where usage is not null";
            cases.add(new Case("tokens by-assistant, " + days + " days", "/analytics/tokens/by-assistant?" + range,
                    "select assistant_id, count(*), " + perKey + " and account_id = ? and started_at between ? and ?"
                    + " group by 1 order by 3 desc, 1", ts));
            cases.add(new Case("operator's dashboard, every account, " + days + " days", "/admin/analytics/dashboard?" + range,
                    "select count(*), sum(call_duration_minutes), count(distinct account_id) from calls where started_at between ? and ?",
                    everywhen));
            cases.add(new Case("operator's by-account, " + days + " days", "/admin/analytics/calls/by-account?" + range,
                    "select c.account_id, a.name, count(*), sum(c.call_duration_minutes) from calls c join accounts a using (account_id)"
                    + " where c.started_at between ? and ? group by 1, 2 order by 4 desc nulls last, 3 desc, 1", everywhen));
            cases.add(new Case("operator's by-phone-number, " + days + " days", "/admin/analytics/calls/by-phone-number?" + range,
                    "select phone_bucket, count(*), sum(call_duration_minutes) from calls where started_at between ? and ?"
                    + " group by 1 order by 3 desc nulls last, 1", everywhen));
            cases.add(new Case("operator's by-service, " + days + " days", "/admin/analytics/calls/by-service?" + range,
                    "select " + SERVICE + ", count(*), sum(call_duration_minutes) from calls where started_at between ? and ?"
                    + " group by 1 order by 3 desc nulls last, 1", everywhen));
            cases.add(new Case("operator's tokens summary, " + days + " days", "/admin/analytics/tokens/summary?" + range,
                    summary + " and started_at between ? and ?", everywhen));
            cases.add(new Case("operator's tokens by-account, " + days + " days", "/admin/analytics/tokens/by-account?" + range,
                    "select c.account_id, a.name, count(*), " + perKey.replace("call_duration_minutes", "c.call_duration_minutes")
                                                                      .replace("from calls", "from calls c join accounts a using (account_id)")
                    + " and c.started_at between ? and ? group by 1, 2 order by 4 desc, 1", everywhen));
            cases.add(new Case("operator's tokens by-assistant, " + days + " days", "/admin/analytics/tokens/by-assistant?" + range,
                    "select assistant_id, account_id, count(*), " + perKey + " and started_at between ? and ?"
                    + " group by 1, 2 order by 4 desc, 1, 2", everywhen));
        }
        return cases;
    }

    /**
     * Issue 11's questions: the documented ones in other zones than UTC, the outcome breakdowns,
     * and typed queries, each beside the plain SQL an analyst would write for it.
     */
    private static List<Case> beyondCases(UUID account, Instant now) {
        var cases = new ArrayList<Case>();
        for (var zone : new String[]{"Asia/Kolkata", "America/New_York"}) {
            for (int days : new int[]{30, 365}) {
                var start = now.minus(Duration.ofDays(days));
                var range = "start_date=" + start + "&end_date=" + now + "&timezone=" + zone;
                var ts = List.<Object>of(account, Timestamp.from(start), Timestamp.from(now));
                var local = "timezone('" + zone + "', started_at)";
                var today = "date_trunc('day', now(), '" + zone + "')";
                var week = "date_trunc('week', now(), '" + zone + "')";
                var month = "date_trunc('month', now(), '" + zone + "')";
                cases.add(new Case("dashboard, " + days + " days, " + zone, "/analytics/dashboard?" + range,
                        "select count(*) filter (where started_at between ? and ?), sum(call_duration_minutes) filter (where started_at between ? and ?),"
                        + " count(*) filter (where started_at >= " + today + "), count(*) filter (where started_at >= " + week + "),"
                        + " count(*) filter (where started_at >= " + month + ") from calls where account_id = ?"
                        + " and started_at between least(?::timestamptz, " + month + ") and now()",
                        List.of(ts.get(1), ts.get(2), ts.get(1), ts.get(2), account, ts.get(1))));
                cases.add(new Case("by-assistant, " + days + " days, " + zone, "/analytics/calls/by-assistant?" + range,
                        "select c.assistant_id, a.assistant_name, count(*), sum(c.call_duration_minutes) from calls c"
                        + " join assistants a using (account_id, assistant_id) where c.account_id = ? and c.started_at between ? and ?"
                        + " group by 1, 2 order by 4 desc nulls last, 3 desc, 1", ts));
                for (var g : new String[][]{{"day", "YYYY-MM-DD"}, {"week", "IYYY-\"W\"IW"}, {"month", "YYYY-MM"}}) {
                    cases.add(new Case("by-time " + g[0] + ", " + days + " days, " + zone,
                            "/analytics/calls/by-time?granularity=" + g[0] + "&" + range,
                            "select to_char(" + local + ", '" + g[1] + "') as bucket, count(*), sum(call_duration_minutes)"
                            + " from calls where account_id = ? and started_at between ? and ? group by 1 order by 1", ts));
                }
            }
        }
        for (int days : new int[]{30, 365}) {
            var start = now.minus(Duration.ofDays(days));
            var range = "start_date=" + start + "&end_date=" + now;
            var ts = List.<Object>of(account, Timestamp.from(start), Timestamp.from(now));
            cases.add(new Case("by-status, " + days + " days", "/analytics/calls/by-status?" + range,
                    "select call_status, count(*), sum(call_duration_minutes), sum(call_cost), sum(billable_duration_minutes) from calls"
                    + " where account_id = ? and started_at between ? and ? group by 1 order by 2 desc, 1", ts));
            cases.add(new Case("by-type, " + days + " days", "/analytics/calls/by-type?" + range,
                    "select coalesce(call_type, 'unknown'), count(*), sum(call_duration_minutes), sum(call_cost), sum(billable_duration_minutes)"
                    + " from calls where account_id = ? and started_at between ? and ? group by 1 order by 2 desc, 1", ts));
            cases.add(new Case("by-end-reason, " + days + " days", "/analytics/calls/by-end-reason?" + range,
                    "select coalesce(nullif(btrim(call_end_reason), ''), 'unknown'), count(*), sum(call_duration_minutes), sum(call_cost),"
                    + " sum(billable_duration_minutes) from calls where account_id = ? and started_at between ? and ? group by 1 order by 2 desc, 1",
                    ts));
            var dates = "\"start_date\": \"" + start + "\", \"end_date\": \"" + now + "\"";
            cases.add(Case.query("query: status per month, Kolkata, " + days + " days",
                    "{" + dates + ", \"timezone\": \"Asia/Kolkata\", \"step\": \"month\", \"group_by\": [\"status\"],"
                    + " \"measures\": [\"calls\", \"minutes\", \"cost\"]}",
                    "select to_char(timezone('Asia/Kolkata', started_at), 'YYYY-MM'), call_status, count(*), sum(call_duration_minutes), sum(call_cost)"
                    + " from calls where account_id = ? and started_at between ? and ? group by 1, 2 order by 1, 2", ts));
            cases.add(Case.query("query: service, avg minutes, " + days + " days",
                    "{" + dates + ", \"group_by\": [\"service\"], \"measures\": [\"calls\", \"avg_minutes\", \"billable_minutes\"]}",
                    "select coalesce(nullif(btrim(call_service), ''), 'unknown'), count(*), avg(coalesce(call_duration_minutes, 0)),"
                    + " sum(billable_duration_minutes) from calls where account_id = ? and started_at between ? and ? group by 1 order by 1", ts));
            cases.add(Case.query("query: hourly totals, New York, " + days + " days",
                    "{" + dates + ", \"timezone\": \"America/New_York\", \"step\": \"hour\", \"limit\": 10000}",
                    "select date_trunc('hour', timezone('America/New_York', started_at)), count(*), sum(call_duration_minutes)"
                    + " from calls where account_id = ? and started_at between ? and ? group by 1 order by 1 limit 10001", ts));
        }
        return cases;
    }

    /** The statement the API runs for a case (the last of its request's statements). */
    private static String apiSql(DataSource dataSource, Case c, UUID account, UUID assistant, Instant now) {
        if (c.body() != null || c.path().contains("timezone=") || c.path().matches(".*/by-(status|type|end-reason).*")) {
            return null; // timed over HTTP beside the plain SQL only
        }
        if (c.path().startsWith("/assistant/call-logs/")) {
            int page = Integer.parseInt(c.path().replaceFirst(".*page=", ""));
            return CallLogsSql.page(dataSource, account, assistant, page, 100);
        }
        var params = c.path().replaceFirst(".*\\?", "");
        var start = Instant.parse(params.replaceFirst(".*start_date=([^&]+).*", "$1"));
        var end = Instant.parse(params.replaceFirst(".*end_date=([^&]+).*", "$1"));
        var range = new DateRange(start, end);
        if (c.admin()) {
            // the operator's own two; the others are the account's queries over more accounts
            var endpoint = c.path().replaceFirst("^/admin/analytics/(calls/)?([a-z-]+).*", "$2");
            return endpoint.equals("dashboard") || endpoint.equals("by-account") ? AdminSql.of(dataSource, endpoint, range) : null;
        }
        var filter = params.contains("assistant_id=") ? Optional.of(assistant) : Optional.<UUID>empty();
        var endpoint = c.path().startsWith("/analytics/calls/by-time")
                ? "by-time-" + params.replaceFirst(".*granularity=([a-z]+).*", "$1")
                : c.path().startsWith("/analytics/tokens/")
                ? "tokens-" + c.path().replaceFirst("^/analytics/tokens/([a-z-]+).*", "$1")
                : c.path().replaceFirst("^/analytics/(calls/)?([a-z-]+).*", "$2");
        return ApiSql.of(dataSource, endpoint, account, range, filter, now);
    }

    record Load(String wrk, String pgbench, double apiRate, double sqlRate, String errors) {
    }

    /** 32 connections for 30 s: wrk on the dashboard, pgbench on the API's own dashboard SQL. */
    private static Load load(String base, String key, String dashboardSql, int dbPort, PrintWriter out) throws Exception {
        var wrk = which("wrk");
        var pgbench = which("pgbench");
        if (wrk == null || pgbench == null) {
            out.println("wrk or pgbench is missing (apt-get install wrk postgresql): no load test");
            return new Load("missing", "missing", 0, 0, "-");
        }
        var wrkOut = run(List.of(wrk, "-t2", "-c32", "-d30s", "--latency", "-H", "Authorization: Bearer " + key,
                                 base + "/analytics/dashboard"), null);
        var script = Files.createTempFile("dashboard", ".sql");
        Files.writeString(script, dashboardSql.replace('\n', ' ') + ";\n");
        var pgOut = run(List.of(pgbench, "-n", "-c", "32", "-j", "2", "-T", "30", "-f", script.toString(),
                                "-h", "localhost", "-p", String.valueOf(dbPort), "-U", "postgres", "postgres"), pgPassword);
        double apiRate = number(wrkOut, "Requests/sec:\\s+([0-9.]+)");
        double sqlRate = number(pgOut, "tps = ([0-9.]+)");
        var errors = new ArrayList<String>();
        var non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(wrkOut);
        errors.add(non2xx.find() ? non2xx.group(1) + " non-2xx" : "0 non-2xx");
        var socket = Pattern.compile("Socket errors: (.*)").matcher(wrkOut);
        errors.add(socket.find() ? "socket errors: " + socket.group(1) : "0 socket errors");
        out.printf("load: API %,.0f req/s (%s), pgbench %,.0f tps, ratio %.2f%n", apiRate, String.join(", ", errors), sqlRate, apiRate / sqlRate);
        return new Load(wrkOut, pgOut, apiRate, sqlRate, String.join(", ", errors));
    }

    private static double number(String text, String regex) {
        var m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void write(PrintWriter out, long calls, long stored, long largest, double loadRate, List<String[]> results,
                              List<String[]> operator, Load load, long peakKb) throws IOException {
        var md = new StringBuilder();
        md.append("## Analytics speed at scale\n\n");
        md.append("Measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ").append(machine()).append(", with\n\n");
        md.append("```sh\n./mvnw -q package -DskipTests && ./mvnw -q -Pbench-analytics process-test-classes -Dcalls=").append(calls).append("\n```\n\n");
        md.append(String.format("Data: %,d calls (reference data set, 400 days, 20 accounts); the largest account holds %,d. ", stored, largest));
        md.append(loadRate > 0 ? String.format("Generated through the ingestion path at %,.0f calls/s. ", loadRate) : "Generated in an earlier run. ");
        md.append("PostgreSQL 18 (embedded, default settings), after VACUUM ANALYZE. API: a separate server process with -Xmx256m, ")
          .append(WARMUP).append(" warm-up requests of every case first, then ").append(REQUESTS).append(" timed per case, one at a time. Plain SQL: the GROUP BY an analyst ")
          .append("would write on the calls table, through JDBC on the same database, up to ").append(REQUESTS).append(" runs or ")
          .append(SQL_BUDGET.toSeconds()).append(" s. \"×\" is plain-SQL p50 over API p50.\n\n");
        md.append("\"API's SQL\" is the statement the endpoint itself runs, timed through JDBC; \"overhead\" is API p50 minus it ")
          .append("(HTTP, key check, JSON, pool).\n\n");
        md.append("| what | API p50 | API p95 | API's SQL p50 | overhead | plain SQL p50 | plain SQL p95 | plain SQL runs | API faster by |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (var r : results) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append("\n### The operator's dashboard across every account beside the largest account's own\n\n");
        md.append("Both over HTTP, p50 of the runs above: the operator's sums the ").append(String.format("%,d", stored))
          .append(" calls of all 20 accounts, the account's ").append(String.format("%,d", largest)).append(" (with its period counts).\n\n");
        md.append("| range | operator's dashboard, 20 accounts | largest account's dashboard | ratio |\n| --- | ---: | ---: | ---: |\n");
        for (var r : operator) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append("\n### Under load: 32 connections, 30 s\n\n");
        md.append(String.format("| dashboard over HTTP (wrk) | the API's own dashboard SQL (pgbench) | ratio | errors | server peak RSS (-Xmx256m) |%n"));
        md.append("| ---: | ---: | ---: | --- | ---: |\n");
        md.append(String.format("| %,.0f req/s | %,.0f tps | %.2f | %s | %,d MB |%n", load.apiRate(), load.sqlRate(),
                                load.sqlRate() == 0 ? 0 : load.apiRate() / load.sqlRate(), load.errors(), peakKb / 1024));
        md.append("\n<details><summary>wrk and pgbench output</summary>\n\n```\n").append(load.wrk().strip()).append("\n\n")
          .append(load.pgbench().strip()).append("\n```\n</details>\n");
        BenchResults.writeSection("analytics", md.toString());
        out.println("wrote the analytics section of bench/RESULTS.md");
    }


}
