package dev.callanalytics.app;

import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real server process (embedded PostgreSQL, as 'serve' runs it): it stops taking
 * connections at once, finishes the request in flight, closes its pools, then stops PostgreSQL
 * cleanly, and what it answered 200 is on disk.
 */
class ShutdownTest {

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String run(Map<String, String> env, String... args) {
        var run = Cli.run(env, args);
        assertEquals(0, run.exitCode(), run.err());
        return run.lastLine();
    }

    @Test
    void sigtermFinishesTheRequestInFlightThenClosesThePoolsThenPostgresql(@TempDir Path dir) throws Exception {
        int port = freePort();
        var data = dir.resolve("data");
        var env = Map.of("DATA_DIR", data.toString(), "EMBEDDED_DB_PORT", String.valueOf(freePort()), "SERVER_PORT", String.valueOf(port),
                         "SHUTDOWN_GRACE_SECONDS", "15");
        var log = dir.resolve("server.log");
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                                         "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        var server = builder.start();
        try {
            Eventually.await(Duration.ofSeconds(120), () -> Files.readString(log).contains("listening on"));
            // commands attach to the server's PostgreSQL, with its password
            var account = run(env, "accounts", "create", "shutdown");
            var key = run(env, "keys", "create", "--account", account, "--scope", "ingest");
            long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());

            var body = IntStream.range(0, 2000)
                                .mapToObj(i -> "{\"room_name\": \"in-flight-" + i + "\", \"assistant_id\": \"" + UUID.nameUUIDFromBytes(new byte[]{(byte) (i % 3)})
                                               + "\", \"started_at\": \"2026-08-01T10:00:00Z\", \"call_duration_minutes\": 2}")
                                .collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8);
            try (var inFlight = new Socket("localhost", port)) {
                inFlight.setSoTimeout(30_000);
                var out = inFlight.getOutputStream();
                out.write(("POST /calls/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nContent-Length: " + body.length
                           + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length / 2);
                out.flush();
                Thread.sleep(300); // the request is in the server's hands

                server.destroy(); // SIGTERM
                Eventually.await(Duration.ofSeconds(10), () -> Files.readString(log).contains("stopping: no new requests"));
                assertThrows(ConnectException.class, () -> new Socket("localhost", port).close(), "no new connections");

                out.write(body, body.length / 2, body.length - body.length / 2);
                out.flush();
                var response = RawHttp.read(inFlight.getInputStream());
                assertEquals(200, response.status(), response.toString());
                assertEquals(2000, response.json().get("data").get("inserted").asInt());
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server exits");
            var output = Files.readString(log);
            int stopping = output.indexOf("stopping: no new requests");
            int stopped = output.indexOf("stopped serving");
            int pools = output.indexOf("connection pools closed");
            assertTrue(stopping >= 0 && stopping < stopped && stopped < pools, output);
            // PostgreSQL removes its pid file at the end of a clean shutdown, and no longer listens
            assertFalse(Files.exists(data.resolve("postmaster.pid")), "PostgreSQL stopped cleanly (was pid " + postmaster + ")");
            assertThrows(ConnectException.class, () -> new Socket("localhost", Integer.parseInt(env.get("EMBEDDED_DB_PORT"))).close());
        } finally {
            server.destroyForcibly();
            Files.copy(log, Path.of("target", "shutdown-test-server.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // the answered import is on disk
        try (var db = EmbeddedDatabase.startOrAttach(data, Integer.parseInt(env.get("EMBEDDED_DB_PORT")))) {
            var ds = new PGSimpleDataSource();
            ds.setUrl(db.settings().url());
            ds.setUser(db.settings().user());
            ds.setPassword(db.settings().password());
            try (var connection = ds.getConnection(); var count = connection.createStatement()
                    .executeQuery("select count(*) from calls where room_name like 'in-flight-%'")) {
                count.next();
                assertEquals(2000, count.getInt(1));
            }
        }
    }

}
