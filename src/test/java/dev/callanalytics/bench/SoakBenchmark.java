package dev.callanalytics.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Mixed load for a long while (10 minutes by default) against a real server process (-Xmx256m,
 * its durable embedded PostgreSQL, the demo data): wrk on the read endpoints, imports and
 * end-call webhooks at the same time, a readiness probe every second, and a few uploads that
 * stall and are cut off by the read timeout, over and over. Reports errors (the target is none),
 * latencies, the heap after each full GC and the open connections over time (both should stay
 * flat), and writes them into bench/RESULTS.md.
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q -Pbench-soak process-test-classes [-Dminutes=10]</pre>
 */
public final class SoakBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern FULL_GC = Pattern.compile("\\[([0-9.]+)s\\].*Pause Full.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private SoakBenchmark() {
    }

    /** What one kind of client saw: answers by status, and latencies. */
    static final class Tally {
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());

        void record(int status, long nanos) {
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            micros.add(nanos / 1000);
        }

        long count() {
            return statuses.values().stream().mapToLong(AtomicLong::get).sum();
        }

        long errors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() >= 300).mapToLong(e -> e.getValue().get()).sum();
        }

        double percentileMillis(double p) {
            var sorted = new ArrayList<>(micros);
            if (sorted.isEmpty()) {
                return 0;
            }
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1000.0;
        }

        String statusText() {
            return new TreeMap<>(statuses).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().get())
                                          .collect(Collectors.joining(", "));
        }
    }

    record Sample(long second, Map<String, Integer> connections, long rssMb) {
    }

    record FullGc(double second, long beforeMb, long afterMb, long heapMb) {
    }

    public static void main(String[] args) throws Exception {
        long minutes = Long.getLong("minutes", 10);
        var wrk = Path.of("/usr/bin/wrk");
        if (!Files.isExecutable(wrk)) {
            System.out.println("wrk is missing (apt-get install -y wrk): no soak");
            System.exit(2);
        }
        var dir = Path.of("target", "bench", "soak").toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        int port = freePort();
        int dbPort = freePort();
        var log = dir.resolve("server.log");
        var gcLog = dir.resolve("gc.log");
        var server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                                        "-Xlog:gc:file=" + gcLog + ":uptime", "-jar", "target/call-analytics.jar", "serve", "--demo")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        server.environment().putAll(Map.of("DATA_DIR", dir.resolve("data").toString(), "EMBEDDED_DB_PORT", String.valueOf(dbPort),
                                           "SERVER_PORT", String.valueOf(port)));
        var process = server.start();
        var base = "http://localhost:" + port;
        try {
            var key = waitForKey(log);
            var assistants = demoAssistants(base, key);
            System.out.printf("soak: %d minutes against pid %d (%s); demo key ready%n", minutes, process.pid(), base);
            run(minutes, base, port, key, assistants, process.pid(), dir, gcLog, dbPort);
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
        System.exit(0);
    }

    private static void run(long minutes, String base, int port, String key, List<String> assistants, long pid, Path dir, Path gcLog,
                            int dbPort) throws Exception {
        var end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        var running = new AtomicBoolean(true);
        var imports = new Tally();
        var webhooks = new Tally();
        var probes = new Tally();
        var stalls = new Tally();
        var samples = Collections.synchronizedList(new ArrayList<Sample>());
        var password = Files.readString(dir.resolve("data").resolve("call-analytics-password")).strip();
        long started = System.nanoTime();
        String wrkOutput;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // imports: 1,000 calls each, two clients back to back
            for (int c = 0; c < 2; c++) {
                pool.submit(() -> {
                    while (running.get()) {
                        var body = IntStream.range(0, 1000).mapToObj(i -> call("soak-import-" + UUID.randomUUID(), assistants))
                                            .collect(Collectors.joining("\n"));
                        timed(imports, () -> post(base + "/calls/import", key, body));
                    }
                    return null;
                });
            }
            // end-call webhooks: four clients, one every 50 ms each
            for (int c = 0; c < 4; c++) {
                pool.submit(() -> {
                    while (running.get()) {
                        var body = "{\"success\": true, \"message\": \"ended\", \"data\": " + call("soak-hook-" + UUID.randomUUID(), assistants) + "}";
                        timed(webhooks, () -> post(base + "/webhooks/end-call/" + key, null, body));
                        Thread.sleep(50); // a platform's pace, not a flood
                    }
                    return null;
                });
            }
            // readiness, once a second, as an orchestrator probes
            pool.submit(() -> {
                while (running.get()) {
                    timed(probes, () -> get(base + "/health/ready", null));
                    Thread.sleep(1000); // the probe's period
                }
                return null;
            });
            // five uploads that stall at any time: each is cut off by the read timeout, then replaced
            for (int c = 0; c < 5; c++) {
                pool.submit(() -> {
                    while (running.get()) {
                        timed(stalls, () -> stall(port, key));
                    }
                    return null;
                });
            }
            // every 10 s: connections by pool, and the server's resident memory; every minute: a full GC
            pool.submit(() -> {
                var url = "jdbc:postgresql://localhost:" + dbPort + "/postgres";
                long lastGc = System.nanoTime();
                while (running.get()) {
                    try (var connection = DriverManager.getConnection(url, "postgres", password);
                         var result = connection.createStatement().executeQuery(
                                 "select application_name, count(*) from pg_stat_activity where backend_type = 'client backend'"
                                 + " and pid <> pg_backend_pid() group by 1 order by 1")) {
                        var connections = new TreeMap<String, Integer>();
                        while (result.next()) {
                            connections.put(result.getString(1).replace("call-analytics ", ""), result.getInt(2));
                        }
                        samples.add(new Sample((System.nanoTime() - started) / 1_000_000_000L, connections, rssMb(pid)));
                    }
                    if (System.nanoTime() - lastGc > TimeUnit.MINUTES.toNanos(1)) {
                        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor();
                        lastGc = System.nanoTime();
                    }
                    Thread.sleep(10_000); // the sampling period
                }
                return null;
            });
            wrkOutput = wrk(base, key, assistants, (end - System.nanoTime()) / 1_000_000_000L, dir);
            running.set(false);
        }
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").start().waitFor();
        Thread.sleep(500); // the last full GC reaches the log
        var gcs = fullGcs(gcLog);
        write(minutes, wrkOutput, imports, webhooks, probes, stalls, samples, gcs);
    }

    private static String call(String room, List<String> assistants) {
        var assistant = assistants.get(Math.floorMod(room.hashCode(), assistants.size()));
        return "{\"room_name\": \"" + room + "\", \"assistant_id\": \"" + assistant + "\", \"assistant_name\": \"Soak\","
               + " \"call_type\": \"outbound\", \"platform_number\": \"+91806555000" + Math.floorMod(room.hashCode(), 5) + "\","
               + " \"call_status\": \"completed\", \"started_at\": \"" + startedAt(room) + "\","
               + " \"call_duration_minutes\": " + (1 + Math.floorMod(room.hashCode(), 600)) / 100.0
               + ", \"transcripts\": [{\"speaker\": \"agent\", \"text\": \"Hello\"}, {\"speaker\": \"user\", \"text\": \"Bye\"}]}";
    }

    /** Webhooks report calls of the last hour; imports, calls of the last 90 days, as a backfill would. */
    private static java.time.Instant startedAt(String room) {
        long seconds = room.startsWith("soak-hook-") ? 3600 : 90 * 86_400L;
        return java.time.Instant.now().minusSeconds(Math.floorMod((long) room.hashCode() * 7919, seconds));
    }

    interface Exchange {
        int status() throws Exception;
    }

    private static void timed(Tally tally, Exchange exchange) {
        long started = System.nanoTime();
        int status;
        try {
            status = exchange.status();
        } catch (Exception e) {
            status = 0;
        }
        tally.record(status, System.nanoTime() - started);
    }

    private static int post(String url, String key, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int get(String url, String key) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** An import that sends its headers and a few bytes, then nothing: -1 when the server cut it off. */
    private static int stall(int port, String key) throws IOException {
        try (var socket = new Socket("localhost", port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /calls/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nContent-Length: 100000\r\n\r\n{\"room")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return socket.getInputStream().read() < 0 ? 299 : 298; // cut off (expected), or answered
        }
    }

    private static String wrk(String base, String key, List<String> assistants, long seconds, Path dir) throws Exception {
        var paths = List.of("/analytics/dashboard", "/analytics/calls/by-assistant", "/analytics/calls/by-phone-number",
                            "/analytics/calls/by-time?granularity=week", "/assistant/call-logs/" + assistants.getFirst() + "?limit=20");
        var script = dir.resolve("reads.lua");
        Files.writeString(script, "local paths = {" + paths.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", ")) + "}\n"
                                  + "local i = 0\n"
                                  + "wrk.headers[\"Authorization\"] = \"Bearer " + key + "\"\n"
                                  + "request = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n");
        var process = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + Math.max(10, seconds) + "s", "--latency", "--timeout", "10s",
                                          "-s", script.toString(), base).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    private static List<FullGc> fullGcs(Path gcLog) throws IOException {
        var gcs = new ArrayList<FullGc>();
        for (var line : Files.readAllLines(gcLog)) {
            var m = FULL_GC.matcher(line);
            if (m.find()) {
                gcs.add(new FullGc(Double.parseDouble(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                                   Long.parseLong(m.group(4))));
            }
        }
        return gcs;
    }

    private static void write(long minutes, String wrk, Tally imports, Tally webhooks, Tally probes, Tally stalls, List<Sample> samples,
                              List<FullGc> gcs) throws IOException {
        var md = new StringBuilder();
        md.append("## Soak: ").append(minutes).append(" minutes of mixed load\n\n");
        md.append("Measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ").append(Runtime.getRuntime().availableProcessors())
          .append(" cores, with\n\n```sh\n./mvnw -q package -DskipTests && ./mvnw -q -Pbench-soak process-test-classes -Dminutes=")
          .append(minutes).append("\n```\n\n");
        md.append("A server process with -Xmx256m and its embedded PostgreSQL (durable), demo data loaded, default settings. At the same time: ")
          .append("wrk (2 threads, 16 connections) on five read endpoints in turn; two clients importing 1,000 calls each, back to back; ")
          .append("four clients sending an end-call webhook every 50 ms each; a readiness probe every second; five uploads that ")
          .append("send their headers and stall, each cut off by the read timeout (30 s) and replaced at once.\n\n");
        var reqs = number(wrk, "Requests/sec:\\s+([0-9.]+)");
        var non2xx = matchOr(wrk, "Non-2xx or 3xx responses: (\\d+)", "0");
        var socketErrors = matchOr(wrk, "Socket errors: (.*)", "none");
        md.append("| load | answered | errors | p50 | p99 |\n| --- | ---: | ---: | ---: | ---: |\n");
        md.append(String.format("| reads (wrk) | %s requests, %,.0f/s | %s non-2xx; socket errors: %s | %s | %s |%n",
                                matchOr(wrk, "(\\d+) requests in", "?"), reqs, non2xx, socketErrors,
                                matchOr(wrk, "\\n\\s+50%\\s+(\\S+)", "?"), matchOr(wrk, "\\n\\s+99%\\s+(\\S+)", "?")));
        for (var row : List.of(new Object[]{"imports (1,000 calls)", imports}, new Object[]{"webhooks", webhooks},
                               new Object[]{"readiness probes", probes})) {
            var tally = (Tally) row[1];
            md.append(String.format("| %s | %,d (%s) | %,d | %.1f ms | %.1f ms |%n", row[0], tally.count(), tally.statusText(),
                                    tally.errors(), tally.percentileMillis(0.5), tally.percentileMillis(0.99)));
        }
        md.append(String.format("| stalled uploads | %,d cut off by the read timeout (%s) | - | %.1f s | %.1f s |%n%n",
                                stalls.statuses.getOrDefault(299, new AtomicLong()).get(), stalls.statusText(),
                                stalls.percentileMillis(0.5) / 1000, stalls.percentileMillis(0.99) / 1000));
        md.append("Heap after each full GC (forced every minute with jcmd GC.run; -Xmx256m):\n\n| at | before | after |\n| ---: | ---: | ---: |\n");
        for (var gc : gcs) {
            md.append(String.format("| %.0f s | %d MB | %d MB |%n", gc.second(), gc.beforeMb(), gc.afterMb()));
        }
        md.append("\nOpen connections to PostgreSQL by pool, and the server's resident memory, every 10 s (first, then every minute, then last):\n\n");
        md.append("| at | connections | server RSS |\n| ---: | --- | ---: |\n");
        for (int i = 0; i < samples.size(); i++) {
            var sample = samples.get(i);
            if (i == 0 || i == samples.size() - 1 || sample.second() % 60 < 10) {
                md.append(String.format("| %d s | %s | %d MB |%n", sample.second(), sample.connections(), sample.rssMb()));
            }
        }
        md.append("\n<details><summary>wrk output</summary>\n\n```\n").append(wrk.strip()).append("\n```\n</details>\n");
        BenchResults.writeSection("soak", md.toString());
        System.out.println(md);
        System.out.println("wrote the soak section of bench/RESULTS.md");
    }

    private static double number(String text, String regex) {
        var m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String matchOr(String text, String regex, String otherwise) {
        var m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1).strip() : otherwise;
    }

    private static long rssMb(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return 0;
    }

    private static String waitForKey(Path log) throws Exception {
        var key = Pattern.compile("^\\s+(ca_[A-Za-z0-9_-]{43})\\s*$", Pattern.MULTILINE);
        for (int i = 0; i < 600; i++) {
            if (Files.exists(log)) {
                var m = key.matcher(Files.readString(log));
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(200); // the server is starting and loading the demo; bounded to 2 minutes
        }
        throw new IllegalStateException("no demo key in " + log);
    }

    private static List<String> demoAssistants(String base, String key) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/analytics/calls/by-assistant?start_date=2000-01-01"))
                                            .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        var ids = Pattern.compile("\"assistant_id\":\"([0-9a-f-]{36})\"").matcher(response.body()).results().map(m -> m.group(1)).toList();
        if (ids.isEmpty()) {
            throw new IllegalStateException("no demo assistants: " + response.body());
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
