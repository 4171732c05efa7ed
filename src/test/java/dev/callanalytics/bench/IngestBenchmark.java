package dev.callanalytics.bench;

import dev.callanalytics.app.ApiServer;
import dev.callanalytics.app.Database;
import dev.callanalytics.app.ServerPools;
import dev.callanalytics.app.Settings;
import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.testing.KillableDatabase;
import dev.callanalytics.testing.PostgresServer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Ingestion speed, side by side on one PostgreSQL: N calls with three transcript lines each,
 * imported through {@code POST /calls/import} (HTTP, JSON parsing, validation, COPY into
 * staging, merge), beside {@code psql \copy} loading the very same rows straight into calls and
 * transcripts. Each run uses fresh databases, the two alternate, and medians are reported.
 *
 * <p>Run: {@code ./mvnw -q -Pbench-ingest process-test-classes [-Dcalls=1000000] [-Druns=3]}.
 */
public final class IngestBenchmark {

    private static final UUID ACCOUNT = UUID.fromString("00000000-0000-0000-0000-00000000be4c");
    private static final String CALL_COLUMNS = "account_id, room_name, assistant_id, assistant_name, call_type, call_service, "
            + "platform_number, to_number, call_status, sip_status_code, sip_status_text, started_at, answered_at, ended_at, "
            + "call_duration_minutes, call_cost";
    private static final String[] STATUSES = {"completed", "completed", "completed", "completed", "completed", "completed",
                                              "no_answer", "busy", "failed", "cancelled"};

    public static void main(String[] args) throws Exception {
        int calls = Integer.getInteger("calls", 1_000_000);
        int runs = Integer.getInteger("runs", 3);
        var dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        var ndjson = dir.resolve("calls-" + calls + ".ndjson");
        var callsTsv = dir.resolve("calls-" + calls + ".tsv");
        var transcriptsTsv = dir.resolve("transcripts-" + calls + ".tsv");
        if (!Files.exists(ndjson) || !Files.exists(transcriptsTsv)) {
            System.out.printf("generating %,d calls with 3 transcript lines each in %s%n", calls, dir);
            generate(calls, ndjson, callsTsv, transcriptsTsv);
        }
        // -Ddurable=true: the server's own embedded PostgreSQL as 'serve' runs it (fsync, full_page_writes and
        // synchronous_commit on); otherwise the tests' embedded server, with the library's settings (all three off)
        boolean durable = Boolean.getBoolean("durable");
        KillableDatabase durableDatabase = durable ? new KillableDatabase() : null;
        var server = durable ? PostgresServer.on(durableDatabase.settings().url(), durableDatabase.settings().user(),
                                                 durableDatabase.settings().password(), "the durable embedded PostgreSQL")
                             : PostgresServer.get();
        System.out.println(durable ? "PostgreSQL durable: fsync, full_page_writes, synchronous_commit on"
                                   : "PostgreSQL as the tests run it: fsync and synchronous_commit off");
        var api = new ArrayList<Double>();
        var copy = new ArrayList<Double>();
        for (int run = 1; run <= runs; run++) {
            api.add(viaApi(server, ndjson, calls));
            copy.add(viaPsqlCopy(server, callsTsv, transcriptsTsv, calls));
            System.out.printf("run %d: import API %,.0f calls/s, psql \\copy %,.0f calls/s%n", run, api.getLast(), copy.getLast());
        }
        double apiMedian = median(api);
        double copyMedian = median(copy);
        System.out.printf("%nmedian of %d runs, %,d calls + %,d transcript lines each:%n", runs, calls, 3L * calls);
        System.out.printf("  POST /calls/import  %,10.0f calls/s%n", apiMedian);
        System.out.printf("  psql \\copy          %,10.0f calls/s%n", copyMedian);
        System.out.printf("  ratio               %10.2f of \\copy%n", apiMedian / copyMedian);
        if (durableDatabase != null) {
            durableDatabase.close();
        }
        System.exit(0);
    }

    /** Calls per second through the API, from the first byte sent to the summary received. */
    private static double viaApi(PostgresServer server, Path ndjson, int calls) throws Exception {
        var db = server.newDatabase();
        var ds = db.dataSource();
        var ctx = Database.dsl(ds);
        ctx.execute("insert into accounts (account_id, name) values (?, 'bench')", ACCOUNT);
        var key = ApiKey.generate();
        new AccountQueries(ctx).createKey(ACCOUNT, key, Set.of(Scope.INGEST));
        var settings = Settings.fromEnvironment(Map.of("SERVER_PORT", "0", "IMPORT_TIMEOUT_SECONDS", "3600"));
        var pools = ServerPools.open(db.settings(), settings);
        var web = ApiServer.start(settings, pools, Clock.systemUTC());
        try {
            var request = HttpRequest.newBuilder(URI.create("http://localhost:" + web.port() + "/calls/import"))
                                     .header("Authorization", "Bearer " + key)
                                     .POST(HttpRequest.BodyPublishers.ofFile(ndjson))
                                     .build();
            long start = System.nanoTime();
            var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - start) / 1e9;
            if (response.statusCode() != 200 || !response.body().contains("\"inserted\":" + calls + ",")) {
                throw new IllegalStateException("import failed: " + response.statusCode() + " " + response.body());
            }
            check(ctx, calls);
            return calls / seconds;
        } finally {
            web.stop();
            pools.close();
            server.dropDatabase(db);
        }
    }

    /** Calls per second of psql's \copy of the same rows into the same tables. */
    private static double viaPsqlCopy(PostgresServer server, Path callsTsv, Path transcriptsTsv, int calls) throws Exception {
        var db = server.newDatabase();
        var ctx = Database.dsl(db.dataSource());
        ctx.execute("insert into accounts (account_id, name) values (?, 'bench')", ACCOUNT);
        try {
            var url = URI.create(db.url().substring("jdbc:".length()));
            var connection = "postgresql://" + db.user() + "@" + url.getHost() + ":" + url.getPort() + url.getPath();
            var psql = new ProcessBuilder("psql", "-q", "-v", "ON_ERROR_STOP=1", connection,
                                          "-c", "\\copy calls (" + CALL_COLUMNS + ") from '" + callsTsv.toAbsolutePath() + "'",
                                          "-c", "\\copy transcripts (account_id, room_name, position, speaker, text, spoken_at) from '"
                                                + transcriptsTsv.toAbsolutePath() + "'")
                    .inheritIO();
            if (db.password() != null) {
                psql.environment().put("PGPASSWORD", db.password());
            }
            long start = System.nanoTime();
            int exit = psql.start().waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("psql exited with " + exit);
            }
            check(ctx, calls);
            return calls / seconds;
        } finally {
            server.dropDatabase(db);
        }
    }

    private static void check(org.jooq.DSLContext ctx, int calls) {
        long stored = ctx.fetchSingle("select count(*) from calls").get(0, Long.class);
        long lines = ctx.fetchSingle("select count(*) from transcripts").get(0, Long.class);
        if (stored != calls || lines != 3L * calls) {
            throw new IllegalStateException("expected " + calls + " calls and " + 3L * calls + " lines, found " + stored + " and " + lines);
        }
    }

    /** The same deterministic calls as NDJSON (for the API) and as COPY text (for psql). */
    private static void generate(int calls, Path ndjson, Path callsTsv, Path transcriptsTsv) throws IOException {
        var random = new Random(42);
        var assistants = new UUID[50];
        for (int i = 0; i < assistants.length; i++) {
            assistants[i] = new UUID(0x5A5A_0000_0000_0000L + i, 0x1000L + i);
        }
        var origin = Instant.parse("2025-10-01T00:00:00Z");
        var iso = DateTimeFormatter.ISO_INSTANT;
        try (BufferedWriter json = Files.newBufferedWriter(ndjson);
             BufferedWriter tsv = Files.newBufferedWriter(callsTsv);
             BufferedWriter lines = Files.newBufferedWriter(transcriptsTsv)) {
            for (int i = 0; i < calls; i++) {
                var room = "bench-" + i;
                int a = random.nextInt(assistants.length);
                var started = origin.plusSeconds(random.nextInt(400 * 86_400));
                var status = STATUSES[random.nextInt(STATUSES.length)];
                boolean answered = status.equals("completed");
                long durationSeconds = answered ? 20 + random.nextInt(600) : 0;
                var minutes = java.math.BigDecimal.valueOf(durationSeconds).divide(java.math.BigDecimal.valueOf(60), 4, java.math.RoundingMode.HALF_UP);
                var cost = minutes.multiply(new java.math.BigDecimal("0.0125")).setScale(4, java.math.RoundingMode.HALF_UP);
                var platform = "+9180" + (6555_0000 + random.nextInt(20));
                var to = "+9198" + (1000_0000 + random.nextInt(9000_0000));
                var ended = started.plusSeconds(durationSeconds + 5);
                Integer sip = switch (status) {
                    case "busy" -> 486;
                    case "failed" -> 503;
                    case "no_answer" -> 480;
                    default -> null;
                };
                var sipText = sip == null ? null : switch (sip) {
                    case 486 -> "Busy Here";
                    case 503 -> "Service Unavailable";
                    default -> "Temporarily Unavailable";
                };
                var spoken = new Instant[]{started.plusSeconds(2), started.plusSeconds(6), started.plusSeconds(11)};
                var texts = new String[]{"Hello, this is Priya from Acme. Am I speaking with the account holder?",
                                         "Yes, speaking. What is this about?",
                                         "I am calling about your order " + (100000 + i % 900000) + ", which ships tomorrow."};
                var speakers = new String[]{"agent", "user", "agent"};

                json.write("{\"room_name\":\"" + room + "\",\"assistant_id\":\"" + assistants[a] + "\",\"assistant_name\":\"Bench Bot "
                           + a + "\",\"call_type\":\"outbound\",\"call_service\":\"exotel\",\"platform_number\":\"" + platform
                           + "\",\"to_number\":\"" + to + "\",\"call_status\":\"" + status + "\",\"sip_status_code\":" + sip
                           + ",\"sip_status_text\":" + (sipText == null ? "null" : "\"" + sipText + "\"")
                           + ",\"started_at\":\"" + iso.format(started) + "\",\"answered_at\":"
                           + (answered ? "\"" + iso.format(started.plusSeconds(3)) + "\"" : "null")
                           + ",\"ended_at\":\"" + iso.format(ended) + "\",\"call_duration_minutes\":" + minutes.toPlainString()
                           + ",\"call_cost\":" + cost.toPlainString() + ",\"transcripts\":[");
                for (int t = 0; t < 3; t++) {
                    json.write((t > 0 ? "," : "") + "{\"speaker\":\"" + speakers[t] + "\",\"text\":\"" + texts[t]
                               + "\",\"timestamp\":\"" + iso.format(spoken[t]) + "\"}");
                    lines.write(ACCOUNT + "\t" + room + "\t" + t + "\t" + speakers[t] + "\t" + texts[t] + "\t" + iso.format(spoken[t]) + "\n");
                }
                json.write("]}\n");
                tsv.write(String.join("\t", ACCOUNT.toString(), room, assistants[a].toString(), "Bench Bot " + a, "outbound", "exotel",
                                      platform, to, status, sip == null ? "\\N" : sip.toString(), sipText == null ? "\\N" : sipText,
                                      iso.format(started), answered ? iso.format(started.plusSeconds(3)) : "\\N", iso.format(ended),
                                      minutes.toPlainString(), cost.toPlainString()) + "\n");
            }
        }
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

}
