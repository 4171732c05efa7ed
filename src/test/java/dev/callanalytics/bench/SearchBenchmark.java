package dev.callanalytics.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.app.Database;
import dev.callanalytics.app.Settings;
import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.bench.BenchKit.Server;
import dev.callanalytics.demo.ReferenceData;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static dev.callanalytics.bench.BenchKit.fmt;
import static dev.callanalytics.bench.BenchKit.machine;
import static dev.callanalytics.bench.BenchKit.run;
import static dev.callanalytics.bench.BenchKit.timeHttp;
import static dev.callanalytics.bench.BenchKit.timeSql;
import static dev.callanalytics.bench.BenchKit.which;

/**
 * Call search and export at scale, on the reference data set of the analytics benchmark (its
 * largest account), side by side in one run with the plain SQL an analyst would write: page 1
 * with selective filters, a word said in about one call in a thousand, page 50 by cursor beside
 * page 1, and the export of the whole account (rate, the server's heap while it streams) beside
 * psql's \copy of the same rows. Writes the "search" section of bench/RESULTS.md.
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q -Pbench-search process-test-classes [-Dcalls=10000000]}.
 */
public final class SearchBenchmark {

    private static final int WARMUP = 10;
    private static final int REQUESTS = 50;
    private static final Duration SQL_BUDGET = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A search over HTTP and the plain SQL an analyst would write for the same page. */
    record Case(String name, String path, String sql, List<Object> params) {
    }

    public static void main(String[] args) throws Exception {
        long calls = Long.getLong("calls", 10_000_000L);
        var out = new PrintWriter(System.out, true);
        var dataDir = Path.of("target", "bench", "reference-" + calls).toAbsolutePath();
        int dbPort = Integer.getInteger("dbPort", 54400);
        var settings = Settings.fromEnvironment(Map.of("DATA_DIR", dataDir.toString(), "EMBEDDED_DB_PORT", String.valueOf(dbPort),
                                                       "QUERY_TIMEOUT_SECONDS", "600"));
        try (var database = Database.connect(settings)) {
            var ctx = Database.dsl(database.dataSource());
            var account = ReferenceData.account(0);
            if (ctx.fetchCount(ctx.selectFrom("calls").where("account_id = ?", account)) == 0) {
                out.printf("generating %,d calls in %s%n", calls, dataDir);
                ReferenceData.load(database.dataSource(), ctx, calls, out);
                ctx.execute("VACUUM ANALYZE");
            }
            long withWord = ((Number) ctx.fetchValue("select count(distinct room_name) from transcripts where account_id = ?"
                                                     + " and transcript_matches(text, ?)", account, ReferenceData.RARE_WORD)).longValue();
            if (withWord == 0) {
                throw new IllegalStateException("the reference data in " + dataDir + " predates the transcripts call search is measured on:"
                                                + " delete it and run again (it is generated anew)");
            }
            long largest = ctx.fetchCount(ctx.selectFrom("calls").where("account_id = ?", account));
            var key = ApiKey.generate();
            new AccountQueries(ctx).createKey(account, key, Set.of(Scope.READ));
            var assistant = (UUID) ctx.fetchValue("select assistant_id from calls where account_id = ? group by 1 order by count(*) desc limit 1",
                                                  account);
            var number = (String) ctx.fetchValue("select platform_number from calls where account_id = ? and platform_number is not null"
                                                 + " group by 1 order by count(*) limit 1", account);
            try (var server = Server.start(dbPort, database.target().password(), "server-search.log")) {
                var cases = cases(server.base(), key, account, assistant, number);
                var results = new ArrayList<String[]>();
                try (Connection jdbc = database.dataSource().getConnection()) {
                    for (var c : cases) {
                        timeHttp(server.base() + c.path(), key, null, WARMUP);
                        var api = timeHttp(server.base() + c.path(), key, null, REQUESTS);
                        var sql = timeSql(jdbc, c.sql(), c.params(), REQUESTS, SQL_BUDGET);
                        results.add(new String[]{c.name(), fmt(api.p50()), fmt(api.p95()), fmt(sql.p50()), fmt(sql.p95()),
                                                 String.valueOf(sql.runs()), String.format("%.1f×", sql.p50() / api.p50())});
                        out.printf("%-58s API p50 %8s p95 %8s | plain SQL p50 %9s p95 %9s (%d runs) | %s%n", c.name(), fmt(api.p50()),
                                   fmt(api.p95()), fmt(sql.p50()), fmt(sql.p95()), sql.runs(), results.getLast()[6]);
                    }
                }
                var export = export(server, key, out);
                var copy = psqlCopy(dbPort, database.target().password(), account, out);
                write(out, calls, largest, withWord, results, export, copy, server.peakRssKb());
            }
        }
        System.exit(0);
    }

    private static List<Case> cases(String base, String key, UUID account, UUID assistant, String number) throws Exception {
        var page = "select c.room_name, c.assistant_id, c.assistant_name, c.to_number, c.call_status, c.call_status_reason,"
                   + " c.sip_status_code, c.sip_status_text, c.answered_at, c.started_at, c.ended_at, c.call_duration_minutes,"
                   + " c.recording_path, c.call_cost, (select json_agg(json_build_object('speaker', t.speaker, 'text', t.text, 'timestamp', t.spoken_at)"
                   + " order by t.spoken_at, t.position) from transcripts t where t.account_id = c.account_id and t.room_name = c.room_name)"
                   + " from calls c where c.account_id = ?";
        var newest = " order by c.started_at desc, c.room_name limit 20";
        var cases = new ArrayList<Case>();
        cases.add(new Case("page 1, one assistant's busy calls", "/calls?limit=20&call_status=busy&assistant_id=" + assistant,
                           page + " and c.assistant_id = ? and c.call_status = 'busy'" + newest, List.of(account, assistant)));
        cases.add(new Case("page 1, the least used platform number", "/calls?limit=20&platform_number=" + number.replace("+", "%2B"),
                           page + " and c.platform_number = ?" + newest, List.of(account, number)));
        var weekAgo = LocalDate.now(ZoneOffset.UTC).minusDays(7);
        cases.add(new Case("page 1, failed calls of the last 7 days", "/calls?limit=20&call_status=failed&start_date=" + weekAgo,
                           page + " and c.call_status = 'failed' and c.started_at >= ?" + newest,
                           List.of(account, weekAgo.atStartOfDay().atOffset(ZoneOffset.UTC))));
        cases.add(new Case("page 1, q=" + ReferenceData.RARE_WORD + " (1 call in 1,000; plain SQL: ILIKE)", "/calls?limit=20&q=" + ReferenceData.RARE_WORD,
                           page + " and exists (select 1 from transcripts t where t.account_id = c.account_id and t.room_name = c.room_name"
                           + " and t.text ilike '%' || ? || '%')" + newest, List.of(account, ReferenceData.RARE_WORD)));
        cases.add(new Case("page 1, q=" + ReferenceData.RARE_WORD + " (plain SQL: the same full-text index)", "/calls?limit=20&q=" + ReferenceData.RARE_WORD,
                           page + " and exists (select 1 from transcripts t where t.account_id = c.account_id and t.room_name = c.room_name"
                           + " and to_tsvector('simple', t.text) @@ websearch_to_tsquery('simple', ?))" + newest,
                           List.of(account, ReferenceData.RARE_WORD)));
        cases.add(new Case("page 1, no filter", "/calls?limit=20", page + newest, List.of(account)));
        cases.add(new Case("page 50, no filter (cursor; plain SQL: OFFSET 980)", "/calls?limit=20&cursor=" + cursorOfPage(base, key, "/calls?limit=20", 50),
                           page + newest + " offset 980", List.of(account)));
        cases.add(new Case("page 1, one assistant's calls", "/calls?limit=20&assistant_id=" + assistant,
                           page + " and c.assistant_id = ?" + newest, List.of(account, assistant)));
        cases.add(new Case("page 50, one assistant's calls (cursor; plain SQL: OFFSET 980)",
                           "/calls?limit=20&assistant_id=" + assistant + "&cursor=" + cursorOfPage(base, key, "/calls?limit=20&assistant_id=" + assistant, 50),
                           page + " and c.assistant_id = ?" + newest + " offset 980", List.of(account, assistant)));
        return cases;
    }

    /** The cursor that page {@code page} of {@code path} is read with, by following the pages before it. */
    private static String cursorOfPage(String base, String key, String path, int page) throws Exception {
        String cursor = null;
        var client = HttpClient.newHttpClient();
        for (int p = 1; p < page; p++) {
            var url = base + path + (cursor == null ? "" : "&cursor=" + cursor);
            var body = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build(),
                                   HttpResponse.BodyHandlers.ofString()).body();
            cursor = JSON.readTree(body).get("data").get("next").asText();
        }
        return cursor;
    }

    record Export(long rows, long bytes, double seconds, long heapBeforeKb, long heapPeakKb) {
    }

    /** The whole account as CSV over HTTP, read as fast as the client can; the server's heap sampled meanwhile. */
    private static Export export(Server server, String key, PrintWriter out) throws Exception {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        long before = heapUsedKb(jcmd, server.process().pid());
        var peak = new AtomicLong(before);
        var done = new AtomicBoolean();
        var sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                try {
                    peak.accumulateAndGet(heapUsedKb(jcmd, server.process().pid()), Math::max);
                    Thread.sleep(500); // sampling the server's heap while the export runs; ends with it
                } catch (Exception e) {
                    return;
                }
            }
        });
        long started = System.nanoTime();
        long rows = 0;
        long bytes = 0;
        var request = HttpRequest.newBuilder(URI.create(server.base() + "/calls/export?format=csv")).header("Authorization", "Bearer " + key).build();
        try (InputStream body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
            var buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        rows++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        done.set(true);
        sampler.join();
        rows--; // the header
        out.printf("export: %,d rows, %,d MB in %.1f s: %,.0f rows/s; server heap used %,d MB before, at most %,d MB during%n", rows,
                   bytes >> 20, seconds, rows / seconds, before >> 10, peak.get() >> 10);
        return new Export(rows, bytes, seconds, before, peak.get());
    }

    /** Heap in use (jcmd GC.heap_info: the sum of the "used" of the heap's spaces), in KiB. */
    private static long heapUsedKb(String jcmd, long pid) throws Exception {
        var info = run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"), null);
        var m = Pattern.compile("garbage-first heap\\s+total (?:reserved )?\\d+K, (?:committed \\d+K, )?used (\\d+)K").matcher(info);
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        var used = Pattern.compile("used (\\d+)K").matcher(info);
        return used.find() ? Long.parseLong(used.group(1)) : -1;
    }

    record Copy(long rows, double seconds) {
    }

    /** psql's \copy of the same rows (the same columns and order) to /dev/null: what an analyst's export runs at. */
    private static Copy psqlCopy(int dbPort, String password, UUID account, PrintWriter out) throws Exception {
        var psql = which("psql");
        if (psql == null) {
            out.println("psql is missing (apt-get install postgresql-client): no \\copy beside the export");
            return new Copy(0, 0);
        }
        var select = "select room_name, assistant_id, assistant_name, to_number, call_status, call_status_reason, sip_status_code,"
                     + " sip_status_text, answered_at, started_at, ended_at, call_duration_minutes, recording_path, call_cost from calls"
                     + " where account_id = '" + account + "' order by started_at desc, room_name";
        long started = System.nanoTime();
        var output = run(List.of(psql, "-h", "localhost", "-p", String.valueOf(dbPort), "-U", "postgres", "-d", "postgres", "-c",
                                 "\\copy (" + select + ") to '/dev/null' with (format csv, header)"), password);
        double seconds = (System.nanoTime() - started) / 1e9;
        var m = Pattern.compile("COPY (\\d+)").matcher(output);
        long rows = m.find() ? Long.parseLong(m.group(1)) : 0;
        out.printf("psql \\copy: %,d rows in %.1f s: %,.0f rows/s%n", rows, seconds, rows / seconds);
        return new Copy(rows, seconds);
    }

    private static void write(PrintWriter out, long calls, long largest, long withWord, List<String[]> results, Export export, Copy copy,
                              long peakRssKb) throws Exception {
        var md = new StringBuilder();
        md.append("## Call search and export at scale\n\n");
        md.append("Measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ").append(machine()).append(", with\n\n");
        md.append("```sh\n./mvnw -q package -DskipTests && ./mvnw -q -Pbench-search process-test-classes -Dcalls=").append(calls).append("\n```\n\n");
        md.append(String.format("Data: the reference data set of the analytics benchmark, %,d calls; its largest account, searched here, holds %,d,", calls, largest))
          .append(String.format(" of which %,d say \"%s\" (about one in %,d). ", withWord, ReferenceData.RARE_WORD, largest / Math.max(1, withWord)))
          .append("API: a separate server process with -Xmx256m, ").append(WARMUP).append(" warm-up requests, then ").append(REQUESTS)
          .append(" timed per case, one at a time, pages of 20 with their transcripts. Plain SQL: the query an analyst would write for the same page")
          .append(" (ORDER BY ... LIMIT 20, OFFSET for page 50, ILIKE for words, or the same full-text expression), through JDBC on the same")
          .append(" database. \"×\" is plain-SQL p50 over API p50.\n\n");
        md.append("| what | API p50 | API p95 | plain SQL p50 | plain SQL p95 | plain SQL runs | API faster by |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (var r : results) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append("\n### Export of the whole account\n\n");
        md.append("GET /calls/export?format=csv over HTTP, read by one client as fast as it can, beside psql's `\\copy` of the same")
          .append(" columns and order to /dev/null. Heap: the server's heap in use, sampled every 0.5 s with `jcmd GC.heap_info`.\n\n");
        md.append("| export | rows | MB | seconds | rows/s | server heap before | server heap at most | server peak RSS |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        md.append(String.format("| API, CSV | %,d | %,d | %.1f | %,.0f | %,d MB | %,d MB | %,d MB |%n", export.rows(), export.bytes() >> 20,
                                export.seconds(), export.rows() / export.seconds(), export.heapBeforeKb() >> 10, export.heapPeakKb() >> 10,
                                peakRssKb >> 10));
        md.append(String.format("| psql \\copy | %,d | | %.1f | %,.0f | | | |%n", copy.rows(), copy.seconds(),
                                copy.seconds() == 0 ? 0 : copy.rows() / copy.seconds()));
        BenchResults.writeSection("search", md.toString());
        out.println("wrote the search section of bench/RESULTS.md");
    }
}
