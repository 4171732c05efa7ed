package dev.callanalytics.reporting;

import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.ReaderRole;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reader roles, tried as an analyst who wants more than their account: other accounts' rows
 * through every view, the base tables, key hashes, writes, another role, the server's files, a
 * leaky function of their own, a WHERE on another account.
 */
class ReadersTest {

    static final List<String> VIEWS = List.of("accounts", "assistants", "calls", "transcripts", "daily");
    static final List<String> BASE_TABLES = List.of("calls", "transcripts", "assistants", "accounts", "api_keys", "call_rollups",
                                                    "readers", "reader_accounts", "ingest_staging");

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Map<String, String> env;
    static Account mine;
    static Account other;
    static ReaderRole reader;

    @BeforeAll
    static void load() {
        env = Cli.environment(api.database());
        mine = api.newAccount("mine");
        other = api.newAccount("other");
        for (var account : List.of(mine, other)) {
            var call = api.calls(account).add(UUID.randomUUID(), Instant.parse("2026-03-10T09:00:00Z"), "3.5");
            api.calls(account).transcript(call, 0, "agent", "Hello", Instant.parse("2026-03-10T09:00:05Z"));
        }
        reader = ReaderRole.create(env, "reader", mine.id());
    }

    static Set<String> accountsSeen(Connection session, String view) throws SQLException {
        var seen = new TreeSet<String>();
        try (var s = session.createStatement(); var r = s.executeQuery("SELECT DISTINCT account_id FROM reporting." + view)) {
            while (r.next()) {
                seen.add(r.getString(1));
            }
        }
        return seen;
    }

    static String sqlState(Connection session, String sql) {
        var e = assertThrows(SQLException.class, () -> {
            try (var s = session.createStatement()) {
                s.execute(sql);
            }
        }, sql);
        return e.getSQLState();
    }

    @Test
    void aReaderSeesItsAccountThroughEveryViewAndNoOther() throws SQLException {
        try (var session = reader.connect()) {
            for (var view : VIEWS) {
                assertEquals(Set.of(mine.id().toString()), accountsSeen(session, view), "reporting." + view);
            }
            try (var s = session.createStatement();
                 var r = s.executeQuery("SELECT count(*) FROM reporting.calls WHERE account_id = '" + other.id() + "'")) {
                r.next();
                assertEquals(0, r.getInt(1), "a WHERE on another account finds nothing");
            }
        }
        var printed = reader.psqlLine();
        assertTrue(printed.contains("psql") && printed.contains("user=" + reader.name()) && printed.contains(reader.password()), printed);
    }

    @Test
    void anOperatorsReaderSeesEveryAccountAndARoleWithoutARowSeesNothing() throws SQLException {
        var operator = ReaderRole.create(env, "operator", null);
        try (var session = operator.connect()) {
            for (var view : VIEWS) {
                assertTrue(accountsSeen(session, view).containsAll(Set.of(mine.id().toString(), other.id().toString())), view);
            }
        }
        var stranger = "stranger_" + UUID.randomUUID().toString().substring(0, 8);
        api.ctx().execute("CREATE ROLE " + stranger + " LOGIN PASSWORD 'x'");
        try (var session = new ReaderRole(stranger, "x", null, reader.url()).connect()) {
            for (var view : VIEWS) {
                assertEquals(Set.of(), accountsSeen(session, view), view);
            }
        } finally {
            api.ctx().execute("DROP ROLE " + stranger);
        }
    }

    @Test
    void theBaseTablesAndKeyHashesAreOutOfReach() throws SQLException {
        try (var session = reader.connect()) {
            for (var table : BASE_TABLES) {
                assertEquals("42501", sqlState(session, "SELECT * FROM public." + table + " LIMIT 1"), table);
            }
            assertEquals("42501", sqlState(session, "SELECT * FROM call_rollups_verify()"));
            assertEquals("42501", sqlState(session, "SELECT call_rollups_rebuild()"));
        }
    }

    @Test
    void aReaderWritesNothingEvenAfterTurningReadOnlyOff() throws SQLException {
        try (var session = reader.connect()) {
            // refused twice over: a read-only session, and no right to write
            assertTrue(Set.of("25006", "42501").contains(sqlState(session, "INSERT INTO reporting.accounts (account_id, name) VALUES (gen_random_uuid(), 'x')")));
            assertEquals("25006", sqlState(session, "CREATE TEMPORARY TABLE scratch (x int)"), "the session is read-only");
            try (var s = session.createStatement()) {
                s.execute("SET default_transaction_read_only = off");
            }
            for (var sql : List.of("INSERT INTO reporting.accounts (account_id, name) VALUES (gen_random_uuid(), 'x')",
                                   "UPDATE reporting.accounts SET name = 'x'",
                                   "DELETE FROM reporting.assistants",
                                   "INSERT INTO public.calls (account_id, room_name, assistant_id, started_at) VALUES ('" + mine.id()
                                   + "', 'r', gen_random_uuid(), now())",
                                   "UPDATE public.api_keys SET revoked_at = NULL",
                                   "CREATE TABLE reporting.mine (x int)",
                                   "CREATE TABLE public.mine (x int)",
                                   "CREATE VIEW reporting.mine AS SELECT 1",
                                   "ALTER VIEW reporting.calls RENAME TO c",
                                   "TRUNCATE public.calls")) {
                assertEquals("42501", sqlState(session, sql), sql);
            }
        }
        assertEquals(1, api.ctx().fetchCount(dev.callanalytics.db.Tables.CALLS, dev.callanalytics.db.Tables.CALLS.ACCOUNT_ID.eq(mine.id())));
    }

    @Test
    void noOtherRoleNoServerFileAndNoServerSideCopy() throws SQLException {
        var operator = ReaderRole.create(env, "other_reader", other.id());
        try (var session = reader.connect()) {
            try (var s = session.createStatement()) {
                s.execute("SET default_transaction_read_only = off"); // so that what refuses is the lack of rights
            }
            for (var sql : List.of("SET ROLE postgres", "SET ROLE " + operator.name(), "SET SESSION AUTHORIZATION postgres",
                                   "SELECT pg_read_file('postgresql.conf')", "SELECT pg_ls_dir('.')",
                                   "COPY (SELECT * FROM reporting.calls) TO '/tmp/calls.csv'",
                                   "COPY (SELECT 1) TO PROGRAM 'id'",
                                   "SELECT lo_import('/etc/passwd')",
                                   "ALTER ROLE " + reader.name() + " SUPERUSER",
                                   "GRANT pg_read_all_data TO " + reader.name())) {
                assertEquals("42501", sqlState(session, sql), sql);
            }
        }
    }

    @Test
    void aLeakyFunctionOfTheReadersOwnSeesOnlyTheRowsTheViewLetsThrough() throws SQLException {
        try (var session = reader.connect()) {
            try (var s = session.createStatement()) {
                s.execute("SET default_transaction_read_only = off"); // a temporary function is the reader's to make
                // cheap, so that a planner without a barrier would run it first, on every row
                s.execute("""
                        CREATE FUNCTION pg_temp.peek(account uuid, room text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
                        $$ BEGIN RAISE NOTICE 'saw % %', account, room; RETURN true; END $$""");
            }
            var seen = new ArrayList<String>();
            try (var s = session.createStatement()) {
                s.executeQuery("SELECT * FROM reporting.calls WHERE pg_temp.peek(account_id, room_name)").close();
                for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                    seen.add(w.getMessage());
                }
            }
            assertFalse(seen.isEmpty(), "the function ran");
            assertTrue(seen.stream().allMatch(m -> m.contains(mine.id().toString())), seen.toString());
        }
    }

    @Test
    void revokingEndsTheSessionsAndTheLogin() throws SQLException {
        var leaving = ReaderRole.create(env, "leaving", mine.id());
        try (var session = leaving.connect()) {
            var listed = Cli.run(env, "readers", "list");
            assertTrue(listed.out().contains(leaving.name() + "\t" + mine.id()), listed.out());
            var revoked = Cli.run(env, "readers", "revoke", leaving.name());
            assertEquals(0, revoked.exitCode(), revoked.err());
            assertThrows(SQLException.class, () -> session.createStatement().executeQuery("SELECT 1 FROM reporting.calls"),
                         "the open session was ended");
        }
        assertThrows(SQLException.class, leaving::connect, "the role is gone");
        assertFalse(Cli.run(env, "readers", "list").out().contains(leaving.name()));
        var again = Cli.run(env, "readers", "revoke", leaving.name());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("no reader named " + leaving.name()), again.err());
    }

    @Test
    void badRequestsAreRefusedWithTheReasonAndCreateNothing() {
        var cases = Map.of(
                List.of("readers", "create", "Bad-Name", "--account", mine.id().toString()), "lower-case letters",
                List.of("readers", "create", "pg_mine", "--all-accounts"), "PostgreSQL's own",
                List.of("readers", "create", "postgres", "--all-accounts"), "exists already",
                List.of("readers", "create", "nobody_" + UUID.randomUUID().toString().substring(0, 8), "--account", UUID.randomUUID().toString()),
                "no account with id",
                List.of("readers", "create", "both", "--all-accounts", "--account", mine.id().toString()), "mutually exclusive",
                List.of("readers", "create", "neither"), "Missing required");
        cases.forEach((args, message) -> {
            var run = Cli.run(env, args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), args.toString());
            assertTrue(run.err().contains(message), args + ": " + run.err());
        });
        assertEquals(0, api.ctx().fetchCount(dev.callanalytics.db.Tables.READERS,
                                             dev.callanalytics.db.Tables.READERS.ROLE_NAME.in("both", "neither", "pg_mine")));
    }
}
