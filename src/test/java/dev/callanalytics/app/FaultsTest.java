package dev.callanalytics.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.rollups.RollupQueries;
import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.KillableDatabase;
import io.helidon.webserver.WebServer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database fails under the server, which stays up: killed with SIGKILL in the middle of
 * imports (every import answered 2xx is there whole after the restart, every other one absent,
 * or whole when its commit was in doubt and the answer said so), and stopped under load (503
 * with Retry-After within two seconds, readiness 503, and everything back within five seconds of
 * its return, without restarting the server).
 */
class FaultsTest {

    static KillableDatabase database;
    static ServerPools pools;
    static WebServer server;
    static UUID account;
    static String key;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        database = new KillableDatabase();
        var settings = Settings.fromEnvironment(Map.of("SERVER_PORT", "0"));
        pools = ServerPools.open(database.settings(), settings);
        server = ApiServer.start(settings, pools, Clock.systemUTC());
        var accounts = new AccountQueries(Database.dsl(direct()));
        account = accounts.createAccount("faults");
        key = ApiKey.generate();
        accounts.createKey(account, key, EnumSet.of(Scope.READ, Scope.INGEST));
    }

    @AfterAll
    static void stop() {
        server.stop();
        pools.close();
        database.close();
    }

    /** A connection of the test's own, opened anew each time (the database comes and goes). */
    static PGSimpleDataSource direct() {
        var ds = new PGSimpleDataSource();
        ds.setUrl(database.settings().url());
        ds.setUser(database.settings().user());
        ds.setPassword(database.settings().password());
        return ds;
    }

    static DSLContext ctx() {
        return Database.dsl(direct());
    }

    record Answer(int status, String message, String retryAfter, long millis) {
    }

    static Answer send(String method, String path, String body) {
        long started = System.nanoTime();
        try {
            var request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                                     .timeout(Duration.ofSeconds(30))
                                     .header("Authorization", "Bearer " + key)
                                     .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            var message = JSON.readTree(response.body()).get("message").asText();
            return new Answer(response.statusCode(), message, response.headers().firstValue("Retry-After").orElse(null),
                              (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            return new Answer(0, e.toString(), null, (System.nanoTime() - started) / 1_000_000);
        }
    }

    static String importOf(String prefix, int calls) {
        return IntStream.range(0, calls)
                        .mapToObj(i -> "{\"room_name\": \"" + prefix + i + "\", \"assistant_id\": \"550e8400-e29b-41d4-a716-44665544000" + (i % 4)
                                       + "\", \"call_status\": \"completed\", \"started_at\": \"2026-07-0" + (1 + i % 5) + "T10:00:00Z\","
                                       + " \"call_duration_minutes\": 1.5, \"transcripts\": [{\"speaker\": \"agent\", \"text\": \"hello\"},"
                                       + " {\"speaker\": \"user\", \"text\": \"bye\"}]}")
                        .collect(Collectors.joining("\n"));
    }

    @Test
    void aDatabaseKilledMidImportKeepsEveryAnsweredImportWholeAndNothingHalfWritten() throws Exception {
        var answers = Collections.synchronizedMap(new java.util.LinkedHashMap<String, Answer>());
        var sending = new AtomicBoolean(true);
        try (var clients = Executors.newFixedThreadPool(4)) {
            for (int client = 0; client < 4; client++) {
                int c = client;
                clients.submit(() -> {
                    for (int n = 0; sending.get(); n++) {
                        var prefix = "kill-" + c + "-" + n + "-";
                        answers.put(prefix, send("POST", "/calls/import", importOf(prefix, 300)));
                    }
                });
            }
            Eventually.await(Duration.ofSeconds(60), () -> answers.values().stream().filter(a -> a.status() == 200).count() >= 8);
            database.kill();
            // imports go on against the dead database until it has refused some; the server stays up
            Eventually.await(Duration.ofSeconds(30), () -> answers.values().stream().anyMatch(a -> a.status() != 200));
            sending.set(false);
        }
        database.start();
        Eventually.await(Duration.ofSeconds(30), () -> send("GET", "/health/ready", null).status() == 200);

        int answered = 0;
        int refused = 0;
        for (var entry : answers.entrySet()) {
            long stored = ((Number) ctx().fetchValue("select count(*) from calls where account_id = ? and room_name like ?", account,
                                                      entry.getKey() + "%")).longValue();
            long utterances = ((Number) ctx().fetchValue("select count(*) from transcripts where account_id = ? and room_name like ?",
                                                          account, entry.getKey() + "%")).longValue();
            var answer = entry.getValue();
            if (answer.status() == 200) {
                answered++;
                assertEquals(300L, stored, "answered 200, whole: " + entry.getKey());
                assertEquals(600L, utterances, "answered 200, whole: " + entry.getKey());
            } else {
                refused++;
                assertTrue(answer.status() == 503 || answer.status() == 0, entry.getKey() + " answered " + answer);
                if (answer.message().contains("may or may not have been written")) {
                    assertTrue(stored == 0 && utterances == 0 || stored == 300 && utterances == 600, "whole or absent: " + entry.getKey());
                } else {
                    assertEquals(0L, stored, "not answered 2xx, absent: " + entry.getKey() + " " + answer);
                    assertEquals(0L, utterances);
                }
            }
        }
        assertTrue(answered >= 8 && refused >= 1, answered + " imports answered 200, " + refused + " refused");
        assertEquals(List.of(), new RollupQueries(ctx()).verify(Optional.of(account)), "the rollups survived the crash exact");
    }

    @Test
    void aDatabaseStoppedUnderLoadIsAFast503AndTheServerRecoversWithinFiveSecondsOfItsReturn() throws Exception {
        var during = Collections.synchronizedList(new ArrayList<Answer>());
        var stopped = new AtomicBoolean(false);
        var loading = new AtomicBoolean(true);
        try (var clients = Executors.newFixedThreadPool(6)) {
            for (int client = 0; client < 6; client++) {
                int c = client;
                clients.submit(() -> {
                    for (int n = 0; loading.get(); n++) {
                        var answer = c % 2 == 0 ? send("GET", "/analytics/dashboard", null)
                                : send("PUT", "/calls/stop-" + c + "-" + n, "{\"assistant_id\": \"" + UUID.randomUUID()
                                                                          + "\", \"started_at\": \"2026-07-10T10:00:00Z\"}");
                        if (stopped.get()) {
                            during.add(answer);
                        }
                    }
                });
            }
            Thread.sleep(500); // load before the stop
            database.stop();
            stopped.set(true);
            long stoppedAt = System.nanoTime();
            Eventually.await(Duration.ofSeconds(2), () -> send("GET", "/health/ready", null).status() == 503);
            long readinessMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
            Thread.sleep(2000); // two seconds of outage under load
            database.start();
            long back = System.nanoTime();
            Eventually.await(Duration.ofSeconds(5), () -> send("GET", "/analytics/dashboard", null).status() == 200
                            && send("GET", "/health/ready", null).status() == 200);
            long recoveryMillis = (System.nanoTime() - back) / 1_000_000;
            loading.set(false);
            assertTrue(readinessMillis <= 2000, "readiness said DOWN after " + readinessMillis + " ms");
            assertTrue(recoveryMillis <= 5000, "recovered " + recoveryMillis + " ms after the database returned");
        }
        var outage = during.stream().filter(answer -> answer.status() != 200 && answer.status() != 201).toList();
        assertTrue(outage.size() >= 6, "requests made during the outage: " + during.size());
        for (var answer : outage) {
            assertEquals(503, answer.status(), answer.toString());
            assertTrue(answer.retryAfter() != null, answer.toString());
            assertTrue(answer.millis() <= 2000, "answered in " + answer.millis() + " ms: " + answer);
        }
    }
}
