package dev.callanalytics.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the benchmarks share: the server as a separate process (-Xmx256m) on the reference
 * database, timing of HTTP requests and of plain SQL through JDBC (medians, side by side in one
 * run), the tools of the machine (wrk, pgbench, psql), and a description of the machine.
 */
final class BenchKit {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private BenchKit() {
    }

    /** p50 and p95 in milliseconds, of {@code runs} runs. */
    record Timing(int runs, double p50, double p95) {
    }

    /** The server (target/call-analytics.jar) on the database at {@code dbPort}, ready; its log in target/bench/{@code log}. */
    record Server(Process process, String base) implements AutoCloseable {

        static Server start(int dbPort, String password, String log) throws Exception {
            int port;
            try (var free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                                             "-jar", "target/call-analytics.jar", "serve")
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "bench", log).toFile());
            builder.environment().putAll(Map.of("DB_URL", "jdbc:postgresql://localhost:" + dbPort + "/postgres", "DB_USER", "postgres",
                                                "DB_PASSWORD", password, "SERVER_PORT", String.valueOf(port), "DB_POOL_SIZE", "16"));
            var server = new Server(builder.start(), "http://localhost:" + port);
            try {
                waitReady(server.base(), log);
            } catch (Exception e) {
                server.close();
                throw e;
            }
            return server;
        }

        /** The most resident memory the server process has had (VmHWM), in KiB. */
        long peakRssKb() throws IOException {
            for (var line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
            return -1;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    private static void waitReady(String base, String log) throws Exception {
        var client = HttpClient.newHttpClient();
        for (int i = 0; i < 120; i++) {
            try {
                var response = client.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                                           HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(500); // the server process is starting; bounded to 60 s by the loop
        }
        throw new IllegalStateException("the server did not become ready; see target/bench/" + log);
    }

    /** {@code requests} requests one after the other (a POST of {@code body} unless it is null), each answered 200. */
    static Timing timeHttp(String url, String key, String body, int requests) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key);
        var request = (body == null ? builder : builder.POST(HttpRequest.BodyPublishers.ofString(body))).build();
        var times = new double[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            var response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            times[i] = (System.nanoTime() - t) / 1e6;
        }
        return timing(times);
    }

    /** The statement run up to {@code 2 + runs} times, the first two untimed, and no more than {@code budget} (at least 5 runs). */
    static Timing timeSql(Connection jdbc, String sql, List<Object> params, int runs, Duration budget) throws Exception {
        var times = new ArrayList<Double>();
        long budgetEnd = System.nanoTime() + budget.toNanos();
        try (var statement = jdbc.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                statement.setObject(i + 1, params.get(i));
            }
            for (int i = 0; i < 2 + runs && (i < 5 || System.nanoTime() < budgetEnd); i++) {
                long t = System.nanoTime();
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        rows.getObject(1);
                    }
                }
                if (i >= 2) {
                    times.add((System.nanoTime() - t) / 1e6);
                }
            }
        }
        return timing(times.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static Timing timing(double[] times) {
        Arrays.sort(times);
        return new Timing(times.length, times[(times.length - 1) / 2], times[(int) Math.ceil(times.length * 0.95) - 1]);
    }

    /** The path of a tool of the machine, or null when it is not installed. */
    static String which(String tool) {
        for (var dir : List.of("/usr/bin", "/usr/local/bin", "/usr/lib/postgresql/18/bin", "/usr/lib/postgresql/17/bin",
                               "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
    }

    /** Runs {@code command} to its end and returns what it printed; {@code pgPassword} (may be null) for the PostgreSQL tools. */
    static String run(List<String> command, String pgPassword) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (pgPassword != null) {
            builder.environment().put("PGPASSWORD", pgPassword);
        }
        var process = builder.start();
        var output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }

    static String fmt(double ms) {
        return ms >= 100 ? String.format("%,.0f ms", ms) : String.format("%.1f ms", ms);
    }

    static String machine() throws IOException {
        var cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                       .findFirst().map(l -> l.replaceFirst(".*:\\s*", "")).orElse("unknown CPU");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                          .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).orElse(0L);
        return String.format("%d cores (%s), %d GiB", Runtime.getRuntime().availableProcessors(), cpu, Math.round(memKb / 1048576.0));
    }
}
