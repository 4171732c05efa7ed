package dev.callanalytics.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar as the README runs it ({@code java -jar target/call-analytics.jar serve}), with the
 * libraries the build put beside it and nothing from the test classpath: it starts its embedded
 * PostgreSQL, serves, and stops on SIGTERM. Run by failsafe after {@code package}, so a
 * dependency the tests have and the jar lacks breaks the build.
 */
class PackagedJarIT {

    static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theJarServesAndStopsCleanly(@TempDir Path data) throws Exception {
        int port = freePort();
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                                         "-jar", Path.of("target", "call-analytics.jar").toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("jar.log").toFile());
        builder.environment().put("DATA_DIR", data.resolve("db").toString());
        builder.environment().put("EMBEDDED_DB_PORT", String.valueOf(freePort()));
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        var process = builder.start();
        var log = data.resolve("jar.log");
        try {
            var http = HttpClient.newHttpClient();
            var base = "http://localhost:" + port;
            int status = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (status != 200 && System.nanoTime() < deadline && process.isAlive()) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                                       HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(250); // the jar is starting its PostgreSQL; bounded by the deadline
                }
            }
            assertEquals(200, status, () -> "the jar did not become ready:\n" + read(log));
            var unauthorized = http.send(HttpRequest.newBuilder(URI.create(base + "/analytics/calls/by-service")).build(),
                                         HttpResponse.BodyHandlers.ofString());
            assertEquals(401, unauthorized.statusCode());
            assertTrue(unauthorized.body().startsWith("{\"success\":false"), unauthorized.body());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.yaml")).build(),
                                        HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            process.destroy(); // SIGTERM: the one shutdown sequence
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar stopped on SIGTERM");
        }
        var output = read(log);
        assertTrue(output.contains("connection pools closed"), output);
        assertEquals(List.of(), output.lines().filter(line -> line.contains("Exception") || line.contains("Error")).toList(), output);
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
