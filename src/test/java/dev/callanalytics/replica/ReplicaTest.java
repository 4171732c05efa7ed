package dev.callanalytics.replica;

import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.LogCapture;
import dev.callanalytics.testing.PostgresServer;
import dev.callanalytics.testing.ReaderRole;
import dev.callanalytics.testing.Standby;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API and the reader roles on a real streaming replica: a PostgreSQL hot standby of the test
 * server, fed by streaming replication, stopped, paused and started again by the tests.
 */
class ReplicaTest {

    static final String ASSISTANT = "7d7a2a41-4fd2-4c0b-9a55-2f61d0f0a001";
    static final List<String> ANSWERS = List.of(
            "/analytics/dashboard?start_date=2026-03-01&end_date=2026-03-31",
            "/analytics/calls/by-assistant?start_date=2026-03-01&end_date=2026-03-31T12:00:00Z",
            "/analytics/calls/by-phone-number?start_date=2026-03-01T06:00:00Z&end_date=2026-03-31",
            "/analytics/calls/by-time?granularity=week&start_date=2026-03-01&end_date=2026-03-31",
            "/analytics/calls/by-time?granularity=day&start_date=2026-03-01&end_date=2026-03-31&assistant_id=" + ASSISTANT,
            "/assistant/call-logs/" + ASSISTANT + "?limit=7&page=2&sort_by=call_duration_minutes&sort_order=asc");

    static PostgresServer primary;
    static Standby standby;
    static PostgresServer.TestDatabase database;
    static TestApi onReplica;
    static TestApi onPrimary;
    static Account account;

    @BeforeAll
    static void start() throws Exception {
        primary = PostgresServer.replicable();
        database = primary.newDatabase();
        standby = Standby.of(primary);
        var logs = LogCapture.of(ReplicaMonitor.class.getName());
        var env = new java.util.HashMap<>(Map.of("DB_REPLICA_URL", standby.url(database), "DB_REPLICA_USER", database.user(),
                                                  "MAX_REPLICA_LAG_SECONDS", "3"));
        if (database.password() != null) {
            env.put("DB_REPLICA_PASSWORD", database.password());
        }
        onReplica = TestApi.on(database, env);
        onPrimary = TestApi.on(database, Map.of());
        account = onPrimary.newAccount("replicated");
        var calls = onPrimary.calls(account);
        var assistant = UUID.fromString(ASSISTANT);
        for (int i = 0; i < 60; i++) {
            var other = i % 3 == 0 ? UUID.randomUUID() : assistant;
            calls.add(other, Instant.parse("2026-03-01T00:00:00Z").plus(Duration.ofHours(11L * i)), i % 7 == 0 ? null : i + ".25",
                      c -> c.setPlatformNumber(c.getStartedAt().getHour() % 2 == 0 ? "+918065550101" : "+14155550123"));
        }
        try (logs) {
            assertTrue(Eventually.within(Duration.ofSeconds(20), () -> replicaStatus().equals("UP")),
                       () -> "the replica is up: " + ready() + " " + logs.messages());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        onReplica.close();
        onPrimary.close();
        standby.close();
        primary.dropDatabase(database);
    }

    static String replicaStatus() {
        return ready().get("replica").asText();
    }

    static com.fasterxml.jackson.databind.JsonNode ready() {
        return onReplica.get("/health/ready", (String) null).data();
    }

    static Connection onStandby(String url) throws SQLException {
        var ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(database.user());
        if (database.password() != null) {
            ds.setPassword(database.password());
        }
        return ds.getConnection();
    }

    static int callsOnStandby(String room) throws SQLException {
        try (var c = onStandby(standby.url(database)); var s = c.prepareStatement("SELECT count(*) FROM calls WHERE room_name = ?")) {
            s.setString(1, room);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    static String put(String room, String startedAt) {
        var writer = onPrimary.newAccount("writer " + room);
        var body = "{\"assistant_id\": \"" + ASSISTANT + "\", \"started_at\": \"" + startedAt + "\", \"call_duration_minutes\": 2}";
        assertEquals(201, onReplica.send("PUT", "/calls/" + room, writer.ingestKey(), body).status(), "writes go to the primary");
        return room;
    }

    @Test
    void aWriteOnThePrimaryIsOnTheReplicaWithinSeconds() throws Exception {
        var room = put("streamed-" + UUID.randomUUID(), "2026-03-02T10:00:00Z");
        long started = System.nanoTime();
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> callsOnStandby(room) == 1), "the call reached the replica");
        System.out.printf("replicated in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        try (var c = onStandby(standby.url(database)); var s = c.createStatement(); var r = s.executeQuery("SELECT pg_is_in_recovery()")) {
            r.next();
            assertTrue(r.getBoolean(1), "it is a standby, in recovery");
        }
    }

    @Test
    void everyAnswerReadFromTheReplicaEqualsThePrimarys() {
        assertEquals("UP", replicaStatus());
        long replicaReads = onReplica.pools().replica().orElseThrow().reads().handedOut();
        for (var path : ANSWERS) {
            var fromReplica = onReplica.get(path, account);
            assertEquals(200, fromReplica.status(), path);
            assertEquals(onPrimary.get(path, account).body(), fromReplica.body(), path);
        }
        assertTrue(onReplica.pools().replica().orElseThrow().reads().handedOut() >= replicaReads + ANSWERS.size(),
                   "the answers were read from the replica");
    }

    @Test
    void aLaggingReplicaIsLeftUntilItCatchesUpAndARevokedKeyIsRefusedAtOnce() throws Exception {
        assertTrue(Eventually.within(Duration.ofSeconds(15), () -> replicaStatus().equals("UP")), ready().toString());
        var replaying = standby.superuser();
        try (var logs = LogCapture.of(ReplicaMonitor.class.getName())) {
            try (var c = replaying.getConnection(); var s = c.createStatement()) {
                s.execute("SELECT pg_wal_replay_pause()");
            }
            try {
                var reader = onPrimary.newAccount("lag");
                var room = put("while-paused-" + UUID.randomUUID(), "2026-03-03T10:00:00Z");
                assertTrue(Eventually.within(Duration.ofSeconds(15), () -> replicaStatus().equals("LAGGING")), ready().toString());
                assertTrue(ready().get("replica_lag_seconds").asDouble() >= 3, ready().toString());
                assertEquals(0, callsOnStandby(room), "the replica has not replayed it");
                // the reads went to the primary meanwhile: the new call is counted
                var logs1 = onReplica.get("/assistant/call-logs/" + ASSISTANT + "?start_date=2026-03-03&end_date=2026-03-03", account);
                assertEquals(200, logs1.status());
                // keys are looked up on the primary: refused at once, whatever the replica has
                var keyId = onPrimary.ctx().fetchValue("SELECT key_id FROM api_keys WHERE account_id = ? AND 'read' = ANY (scopes)",
                                                       reader.id());
                assertEquals(200, onReplica.get("/analytics/dashboard", reader).status());
                assertEquals(0, Cli.run(Cli.environment(database), "keys", "revoke", keyId.toString()).exitCode());
                assertEquals(401, onReplica.get("/analytics/dashboard", reader).status());
            } finally {
                try (var c = replaying.getConnection(); var s = c.createStatement()) {
                    s.execute("SELECT pg_wal_replay_resume()");
                }
            }
            assertTrue(Eventually.within(Duration.ofSeconds(15), () -> replicaStatus().equals("UP")), ready().toString());
            var said = logs.messages();
            assertEquals(1, said.stream().filter(m -> m.contains("Reads go to the primary: the replica is LAGGING")).count(), said.toString());
            assertEquals(1, said.stream().filter(m -> m.contains("Reads go to the replica again")).count(), said.toString());
        }
    }

    @Test
    void anIdlePrimaryDoesNotMakeTheReplicaLookBehind() throws Exception {
        assertTrue(Eventually.within(Duration.ofSeconds(15), () -> replicaStatus().equals("UP")));
        Thread.sleep(5000); // longer than MAX_REPLICA_LAG_SECONDS, with nothing written
        var status = ready();
        assertEquals("UP", status.get("replica").asText(), status.toString());
        assertTrue(status.get("replica_lag_seconds").asDouble() < 3, status.toString());
    }

    @Test
    void aStoppedReplicaLeavesTheApiAnsweringFromThePrimary() throws Exception {
        try (var logs = LogCapture.of(ReplicaMonitor.class.getName())) {
            standby.stop();
            try {
                for (var path : ANSWERS) {
                    var answer = onReplica.get(path, account);
                    assertEquals(200, answer.status(), path);
                    assertEquals(onPrimary.get(path, account).body(), answer.body(), path);
                }
                assertTrue(Eventually.within(Duration.ofSeconds(10), () -> replicaStatus().equals("DOWN")));
                var status = ready();
                assertEquals("UP", status.get("status").asText(), "the service is ready: it reads from the primary");
                assertTrue(status.get("replica_lag_seconds").isNull(), status.toString());
            } finally {
                standby.start();
            }
            assertTrue(Eventually.within(Duration.ofSeconds(20), () -> replicaStatus().equals("UP")), ready().toString());
            assertTrue(logs.messages().stream().anyMatch(m -> m.contains("Reads go to the primary: the replica is DOWN")), logs.messages().toString());
        }
    }

    @Test
    void aLongQueryOnTheReplicaOutlivesAVacuumOfTheRowsItReads() throws Exception {
        var scratch = onPrimary.newAccount("vacuumed");
        onPrimary.ctx().execute("INSERT INTO calls (account_id, room_name, assistant_id, started_at) "
                                + "SELECT ?, 'bi-' || g, ?::uuid, timestamptz '2026-03-01' + g * interval '1 minute' "
                                + "FROM generate_series(1, 20000) g", scratch.id(), ASSISTANT);
        var count = "SELECT count(*) FROM calls WHERE account_id = '" + scratch.id() + "'";
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> {
            try (var c = onStandby(standby.url(database))) {
                return count(c, count) == 20000;
            }
        }));
        try (var bi = onStandby(standby.url(database))) {
            bi.setAutoCommit(false);
            bi.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            assertEquals(20000, count(bi, count), "the BI query's snapshot");
            long snapshotXmin;
            try (var s = bi.createStatement(); var r = s.executeQuery("SELECT txid_snapshot_xmin(txid_current_snapshot())")) {
                r.next();
                snapshotXmin = r.getLong(1);
            }
            // hot_standby_feedback tells the primary the standby's oldest snapshot within a second
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> {
                Long held = onPrimary.ctx().fetchValue(org.jooq.impl.DSL.field(
                        "(SELECT xmin::text::bigint FROM pg_replication_slots WHERE slot_name = 'call_analytics_standby')", Long.class));
                return held != null && held <= snapshotXmin;
            }), "the primary knows what the standby reads");
            // the primary deletes rows and vacuums: without the feedback, the cleanup would
            // conflict with the snapshot, and the query be cancelled when replayed
            onPrimary.ctx().execute("DELETE FROM calls WHERE account_id = ?", scratch.id());
            onPrimary.ctx().execute("VACUUM (FREEZE) calls");
            // the insert position: with synchronous_commit off (the test server's), the write position
            // can still be short of the DELETE's commit record when the vacuum is done
            long lsn = onPrimary.ctx().fetchValue(org.jooq.impl.DSL.field("(pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint", Long.class));
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> replayed() >= lsn),
                       () -> "the standby replayed the vacuum without waiting: the primary is at " + lsn + ", the standby " + startup());
            assertEquals(20000, count(bi, count), "the query goes on, on its snapshot");
            bi.rollback();
            assertEquals(0, count(bi, count), "a new snapshot sees the delete");
        }
    }

    static long replayed() throws SQLException {
        try (var c = standby.superuser().getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** What the standby's replay is doing, for a failure's message. */
    static String startup() {
        try (var c = standby.superuser().getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT backend_type || ' ' || coalesce(wait_event_type, '') || ' ' || coalesce(wait_event, '') || ' '"
                                    + " || (pg_last_wal_receive_lsn() - '0/0'::pg_lsn) || ' ' || (SELECT string_agg(l.locktype || ':' || l.mode || ':' || l.relation"
                                    + " || ':' || l.granted || ':' || coalesce(l.pid, 0), ', ') FROM pg_locks l WHERE l.relation IS NOT NULL)"
                                    + " FROM pg_stat_activity WHERE backend_type = 'startup'")) {
            return r.next() ? r.getString(1) : "no startup process";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    static int count(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void readerRolesWorkOnTheReplicaAndWriteNothingThere() throws Exception {
        var reader = ReaderRole.create(Cli.environment(database), "replica_reader", account.id());
        var url = standby.url(database);
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> {
            try (var c = reader.connect(url)) {
                return true;
            } catch (SQLException e) {
                return false;
            }
        }), "the role reached the replica");
        try (var c = reader.connect(url); var s = c.createStatement()) {
            try (var r = s.executeQuery("SELECT count(DISTINCT account_id), count(*) FROM reporting.calls")) {
                r.next();
                assertEquals(1, r.getInt(1), "its account only");
                assertTrue(r.getInt(2) >= 60);
            }
            s.execute("SET default_transaction_read_only = off");
            var refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> s.execute("SELECT * FROM api_keys"));
            assertNotNull(refused.getSQLState());
            assertEquals("42501", refused.getSQLState());
        }
    }
}
