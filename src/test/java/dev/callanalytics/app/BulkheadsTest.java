package dev.callanalytics.app;

import dev.callanalytics.http.RequestBodies;
import dev.callanalytics.http.TransportErrors;
import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.LogCapture;
import dev.callanalytics.testing.RawHttp;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One kind of caller cannot take what the others need: stalled uploads hold no connection,
 * readiness probes cost one round trip a second, a full pool is a fast 503 for its own kind only,
 * and bodies are bounded in time and in heap.
 */
class BulkheadsTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Account account;
    static final UUID ASSISTANT = UUID.randomUUID();
    static final String CALL = "{\"assistant_id\": \"" + ASSISTANT + "\", \"started_at\": \"2026-03-10T09:00:00Z\"}";

    @BeforeAll
    static void data() {
        account = api.newAccount("bulkheads");
        api.calls(account).add(ASSISTANT, Instant.now().minusSeconds(60), "2");
    }

    /** Opens {@code count} requests that send their headers and the first bytes of a body, then stall. */
    static List<Socket> stall(TestApi server, int count, String method, String path, String key, int declared) throws IOException {
        var sockets = new ArrayList<Socket>();
        for (int i = 0; i < count; i++) {
            var socket = new Socket("localhost", server.port());
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nContent-Length: " + declared
                       + "\r\n\r\n{\"room_name\": \"stalled\", \"assistant_id\": \"").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(socket);
        }
        return sockets;
    }

    static void closeAll(List<Socket> sockets) throws IOException {
        for (var socket : sockets) {
            socket.close();
        }
    }

    static long millis(Runnable action) {
        long started = System.nanoTime();
        action.run();
        return (System.nanoTime() - started) / 1_000_000;
    }

    static boolean sessionsInTransaction(TestApi server) {
        return server.ctx().fetchExists(server.ctx().selectOne().from("pg_stat_activity")
                                        .where("datname = current_database() and state = 'idle in transaction'"));
    }

    /** The import spool files in the server's spool directory: one per import being received past a megabyte. */
    static Set<Path> spoolFiles(TestApi server) throws IOException {
        try (var files = Files.list(server.settings().spoolDirectory())) {
            return files.filter(f -> f.getFileName().toString().startsWith("call-analytics-import-"))
                        .collect(Collectors.toSet());
        }
    }

    /** What the server has already answered on any of {@code sockets} (it should have answered none). */
    static List<String> answeredEarly(List<Socket> sockets) throws IOException {
        var answers = new ArrayList<String>();
        for (var socket : sockets) {
            int available = socket.getInputStream().available();
            if (available > 0) {
                answers.add(new String(socket.getInputStream().readNBytes(available), StandardCharsets.UTF_8));
            }
        }
        return answers;
    }

    /** How many of the spool files now present were not there {@code before}. */
    static long newSpoolFiles(TestApi server, Set<Path> before) throws IOException {
        return spoolFiles(server).stream().filter(file -> !before.contains(file)).count();
    }

    @Test
    void twentyStalledImportsHoldNoConnectionAndEveryoneElseIsServed() throws Exception {
        // A read timeout longer than the test: on a slow machine the first stalled bodies must not
        // be cut off (and their spool deleted) before the last ones have arrived.
        try (var patient = TestApi.start(Map.of("READ_TIMEOUT_SECONDS", "300"))) {
            var uploader = patient.newAccount("first uploader");
            // other servers of this JVM share the spool directory: only files that appear now count
            var spooledBefore = spoolFiles(patient);
            // from two accounts: one account may have 16 imports in progress
            var keys = List.of(uploader.ingestKey(), patient.newAccount("second uploader").ingestKey());
            var stalled = new ArrayList<Socket>();
            try {
                // each sends a megabyte and a half of good lines, then nothing: the server has them in hand, spooled.
                // One after another, each in hand before the next arrives: what is tried here is what stalled
                // uploads hold, not a burst of twenty key checks on five write connections (which may be a
                // fast 503 on a starved machine, as any pool exhaustion is)
                var lines = (UUID.randomUUID() + "\", \"started_at\": \"2026-03-10T09:00:00Z\"}\n{\"room_name\": \"s\", \"assistant_id\": \"")
                        .repeat(16_000).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 20; i++) {
                    var socket = stall(patient, 1, "POST", "/calls/import", keys.get(i / 10), 10_000_000).getFirst();
                    stalled.add(socket);
                    socket.getOutputStream().write(lines);
                    socket.getOutputStream().flush();
                    long spooled = i + 1;
                    assertTrue(Eventually.within(Duration.ofSeconds(30), () -> newSpoolFiles(patient, spooledBefore) >= spooled),
                               "import " + spooled + " of 20 is being received: " + newSpoolFiles(patient, spooledBefore)
                               + " spooled; answered early: " + answeredEarly(stalled));
                }
                var dashboard = new int[1];
                long took = millis(() -> dashboard[0] = patient.get("/analytics/dashboard", uploader).status());
                assertEquals(200, dashboard[0]);
                assertTrue(took < 2000, "the dashboard answered in " + took + " ms");
                assertEquals(200, patient.get("/health/ready", (String) null).status());
                assertEquals(201, patient.send("PUT", "/calls/after-stall-" + UUID.randomUUID(), uploader.ingestKey(), CALL).status());
                assertFalse(sessionsInTransaction(patient), "no transaction waits on a client");
            } finally {
                closeAll(stalled);
            }
        }
    }

    @Test
    void fiftyReadinessProbesAtOnceCostAboutOneDatabaseRoundTripASecondAndTakeNothingFromTheApi() throws Exception {
        var probing = new AtomicBoolean(true);
        long before = api.pools().probes().handedOut();
        long started = System.nanoTime();
        var statuses = new ArrayList<Integer>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var probes = new ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 50; i++) {
                probes.add(pool.submit(() -> {
                    int answered = 0;
                    while (probing.get()) {
                        assertEquals(200, api.get("/health/ready", (String) null).status());
                        answered++;
                    }
                    return answered;
                }));
            }
            var calls = new ArrayList<Callable<Integer>>();
            for (int i = 0; i < 60; i++) {
                calls.add(() -> api.get("/analytics/calls/by-assistant", account).status());
            }
            for (var call : pool.invokeAll(calls)) {
                statuses.add(call.get());
            }
            probing.set(false);
            int answered = 0;
            for (var probe : probes) {
                answered += probe.get();
            }
            assertTrue(answered >= 50, "probes answered: " + answered);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long roundTrips = api.pools().probes().handedOut() - before;
        assertEquals(List.of(200), statuses.stream().distinct().toList(), "every API request answered 200");
        assertTrue(roundTrips <= Math.ceil(seconds) + 1, roundTrips + " probe round trips in " + seconds + " s");
    }

    @Test
    void aFullReadPoolIsAFast503ForReadsOnlyAndComesBack() throws Exception {
        var held = hold(api.pools().reads());
        try {
            var response = new TestApi.Response[1];
            long took = millis(() -> response[0] = api.get("/analytics/dashboard", account));
            assertEquals(503, response[0].status());
            assertEquals("1", response[0].headers().firstValue("Retry-After").orElse(null));
            assertEquals("All 10 database connections for reads are in use; retry shortly", response[0].message());
            assertTrue(took < 2000, "503 in " + took + " ms");
            assertEquals(201, api.send("PUT", "/calls/while-reads-full-" + UUID.randomUUID(), account.ingestKey(), CALL).status());
            assertEquals(200, api.get("/health/ready", (String) null).status());
        } finally {
            release(held);
        }
        assertEquals(200, api.get("/analytics/dashboard", account).status());
    }

    @Test
    void aFullWritePoolIsAFast503ForWritesOnly() throws Exception {
        var held = hold(api.pools().writes());
        try {
            var response = new TestApi.Response[1];
            long took = millis(() -> response[0] = api.send("PUT", "/calls/while-writes-full", account.ingestKey(), CALL));
            assertEquals(503, response[0].status());
            assertTrue(took < 2000, "503 in " + took + " ms");
            assertEquals(200, api.get("/analytics/dashboard", account).status());
        } finally {
            release(held);
        }
        assertEquals(201, api.send("PUT", "/calls/after-writes-full", account.ingestKey(), CALL).status());
    }

    @Test
    void everyConnectionCarriesTheLimitsOfItsPool() throws SQLException {
        var expected = Map.of(
                api.pools().reads(), Map.of("statement_timeout", "30s", "lock_timeout", "0", "default_transaction_read_only", "on"),
                api.pools().writes(), Map.of("statement_timeout", "30s", "lock_timeout", "5s", "default_transaction_read_only", "off"),
                api.pools().probes(), Map.of("statement_timeout", "2s", "default_transaction_read_only", "on"));
        for (var pool : expected.entrySet()) {
            try (var connection = pool.getKey().getConnection(); var statement = connection.createStatement()) {
                var settings = new java.util.HashMap<>(pool.getValue());
                settings.put("idle_in_transaction_session_timeout", "1min");
                settings.put("standard_conforming_strings", "on");
                for (var setting : settings.entrySet()) {
                    try (var result = statement.executeQuery("SHOW " + setting.getKey())) {
                        result.next();
                        assertEquals(setting.getValue(), result.getString(1), setting.getKey());
                    }
                }
                // PgJDBC's socket timeout: a little past the statement timeout, so a vanished server is noticed
                var statementTimeout = pool.getKey() == api.pools().probes() ? 2 : 30;
                assertEquals((statementTimeout + 15) * 1000, connection.getNetworkTimeout());
            }
        }
    }

    static List<Connection> hold(Bulkhead bulkhead) throws SQLException {
        var held = new ArrayList<Connection>();
        for (int i = 0; i < bulkhead.size(); i++) {
            held.add(bulkhead.getConnection());
        }
        return held;
    }

    static void release(List<Connection> held) throws SQLException {
        for (var connection : held) {
            connection.close();
        }
    }

    @Test
    void aRequestThatStopsArrivingLosesItsConnectionAfterTheReadTimeout() throws Exception {
        try (var quick = TestApi.start(Map.of("READ_TIMEOUT_SECONDS", "1"))) {
            var owner = quick.newAccount("timeouts");
            for (var path : List.of("/calls/slow-room", "/calls/import")) {
                var method = path.endsWith("import") ? "POST" : "PUT";
                var socket = stall(quick, 1, method, path, owner.ingestKey(), 5000).getFirst();
                try (socket) {
                    socket.setSoTimeout(5000);
                    var ending = new Ending[1];
                    long took = millis(() -> ending[0] = readToEnd(socket));
                    assertTrue(ending[0].closed(), "the server closed the connection");
                    assertTrue(took < 3000, "closed after " + took + " ms");
                    assertTrue(ending[0].saidTimeoutOrNothing(), method + " " + path + " answered " + ending[0].received());
                }
            }
            // a head that trickles in (a slowloris): a header byte every 300 ms is not a request in time,
            // and a client's slowness, not a server error (a 500 in the log, where nobody can hear it)
            try (var socket = new Socket("localhost", quick.port());
                 var logs = LogCapture.of(TransportErrors.class.getName())) {
                socket.setSoTimeout(5000);
                var out = socket.getOutputStream();
                out.write("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                long started = System.nanoTime();
                boolean closed = false;
                for (int i = 0; i < 20 && !closed; i++) {
                    Thread.sleep(300); // the trickle itself
                    try {
                        out.write('a');
                        out.flush();
                    } catch (IOException e) {
                        closed = true;
                    }
                }
                long took = (System.nanoTime() - started) / 1_000_000;
                var ending = readToEnd(socket);
                assertTrue(closed || ending.closed(), "the server closed the trickling connection");
                assertTrue(took < 4000, "closed after " + took + " ms");
                assertTrue(ending.saidTimeoutOrNothing(), "the trickling head was answered " + ending.received());
                assertEquals(List.of(), logs.messages(), "what the server logged of it");
            }
            assertEquals(0, quick.ctx().fetchCount(dev.callanalytics.db.Tables.CALLS));
            assertEquals(200, quick.get("/health/live", (String) null).status(), "the server is fine");
        }
    }

    /** What a connection ended with: whether the server closed it, and what it sent before. */
    record Ending(boolean closed, String received) {

        /** A server that cuts a slow client off may tell it so (408), and nothing else. */
        boolean saidTimeoutOrNothing() {
            return received.isEmpty() || received.startsWith("HTTP/1.1 408 ") && received.contains("\"success\":false");
        }
    }

    /** Reads until the server closes the connection, or the socket's read timeout passes first. */
    static Ending readToEnd(Socket socket) {
        var received = new java.io.ByteArrayOutputStream();
        try {
            var in = socket.getInputStream();
            var buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
            return new Ending(true, received.toString(StandardCharsets.UTF_8));
        } catch (java.net.SocketTimeoutException e) {
            return new Ending(false, received.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Ending(true, received.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void bodiesBeyondTheHeapBudgetAreA503WhileTheOthersAreHeldAndTheBudgetComesBack() throws Exception {
        // 25 MiB of budget: three bodies of 1 MiB each as they are parsed (8 MiB apiece), and a little more
        try (var small = TestApi.start(Map.of("BODY_MEMORY_MB", "25"))) {
            var owner = small.newAccount("heap budget");
            var stalled = stall(small, 3, "PUT", "/calls/big", owner.ingestKey(), 1 << 20);
            try {
                // the server holds the three bodies' share before a fourth asks (a fourth that came first
                // would take the room, and the third stalled body would be the one refused)
                long share = RequestBodies.PARSE_FACTOR * (1L << 20);
                assertTrue(Eventually.within(Duration.ofSeconds(10), () -> small.pools().bodies().reservedBytes() >= 3 * share),
                           "the three stalled bodies are being read");
                var refused = RawHttp.exchange(small.port(), ("PUT /calls/one-more HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                                              + owner.ingestKey() + "\r\nContent-Length: 1048576\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII), 5000);
                assertEquals(503, refused.status(), refused.toString());
                assertEquals("The server is reading many large bodies at once; retry shortly", refused.json().get("message").asText());
                // a small body still fits
                assertEquals(201, small.send("PUT", "/calls/small", owner.ingestKey(), CALL).status());
            } finally {
                closeAll(stalled);
            }
            // the stalled bodies' share comes back when they end
            assertTrue(Eventually.within(Duration.ofSeconds(5), () -> small.pools().bodies().reservedBytes() == 0),
                       "the budget is whole again: " + small.pools().bodies().reservedBytes());
            var big = "{\"assistant_id\": \"" + ASSISTANT + "\", \"started_at\": \"2026-03-10T09:00:00Z\", \"recording_path\": \""
                      + "x".repeat(900_000) + "\"}";
            assertTrue(Eventually.within(Duration.ofSeconds(5), () -> small.send("PUT", "/calls/big-after", owner.ingestKey(), big).status() == 201),
                       "a large body is taken again once the stalled ones are gone");
        }
    }
}
