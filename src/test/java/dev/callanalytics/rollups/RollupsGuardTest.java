package dev.callanalytics.rollups;

import dev.callanalytics.analytics.AccountScope;
import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Tables.CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollups cannot drift silently: what bypasses their triggers is found by
 * {@code rollups verify} and repaired by {@code rollups rebuild}; the triggers cannot be fooled
 * through search_path; and nobody but their owner writes them.
 */
class RollupsGuardTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Map<String, String> env;

    @BeforeAll
    static void environment() {
        env = Cli.environment(api.database());
    }

    static Cli.Run run(String... args) {
        return Cli.run(env, args);
    }

    static String describe(RollupQueries.Drift d) {
        return d.rollup() + " " + d.periodStart().withOffsetSameInstant(java.time.ZoneOffset.UTC) + " " + d.measure() + " "
               + d.rollupValue().toPlainString() + " " + d.actualValue().toPlainString();
    }

    static RollupQueries rollups() {
        return new RollupQueries(api.ctx());
    }

    @Test
    void aLoadThatBypassesTheTriggersIsFoundAndRepairedPerAccount() {
        var bypassed = api.newAccount("bypassed");
        var untouched = api.newAccount("untouched");
        var assistant = UUID.randomUUID();
        api.calls(untouched).add(assistant, Instant.parse("2026-02-01T10:00:00Z"), "4");
        api.ctx().transaction(tx -> {
            // as a data-only restore or a replication tool loads: triggers do not fire
            tx.dsl().execute("SET LOCAL session_replication_role = replica");
            new dev.callanalytics.testing.Calls(tx.dsl(), bypassed.id()).add(assistant, Instant.parse("2026-02-01T11:00:00Z"), "2.5");
            new dev.callanalytics.testing.Calls(tx.dsl(), bypassed.id()).add(assistant, Instant.parse("2026-02-02T11:00:00Z"), null);
        });
        // two days, each in call_rollups, call_outcomes, and call_totals by day and by quarter hour
        assertEquals(8, RollupQueries.rows(rollups().verify(Optional.of(bypassed.id()))));
        assertEquals(0, rollups().verify(Optional.of(untouched.id())).size());
        var drift = rollups().verify(Optional.empty());
        // and the totals of all accounts, by day and by quarter hour
        assertEquals(12, RollupQueries.rows(drift));
        // the first day misses a call of 2.5 minutes; the second a call of unknown length
        assertEquals(List.of("call_outcomes 2026-02-01T00:00Z calls 0 1", "call_outcomes 2026-02-01T00:00Z minutes 0 2.5",
                             "call_outcomes 2026-02-02T00:00Z calls 0 1",
                             "call_rollups 2026-02-01T00:00Z calls 0 1", "call_rollups 2026-02-01T00:00Z minutes 0 2.5",
                             "call_rollups 2026-02-02T00:00Z calls 0 1",
                             "call_totals day 2026-02-01T00:00Z calls 0 1", "call_totals day 2026-02-01T00:00Z minutes 0 2.5",
                             "call_totals day 2026-02-02T00:00Z calls 0 1",
                             "call_totals quarter 2026-02-01T11:00Z calls 0 1", "call_totals quarter 2026-02-01T11:00Z minutes 0 2.5",
                             "call_totals quarter 2026-02-02T11:00Z calls 0 1"),
                     rollups().verify(Optional.of(bypassed.id())).stream().map(RollupsGuardTest::describe).toList());
        assertEquals(List.of("call_totals day 2026-02-01T00:00Z calls 1 2", "call_totals day 2026-02-01T00:00Z minutes 4 6.5",
                             "call_totals day 2026-02-02T00:00Z calls 0 1",
                             "call_totals quarter 2026-02-01T11:00Z calls 0 1", "call_totals quarter 2026-02-01T11:00Z minutes 0 2.5",
                             "call_totals quarter 2026-02-02T11:00Z calls 0 1"),
                     drift.stream().filter(d -> d.accountId().equals(AccountScope.ALL_ACCOUNTS)).map(RollupsGuardTest::describe).toList());

        var verify = run("rollups", "verify");
        assertEquals(1, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains("12 rollup row(s) differ from their calls"), verify.out());
        // before the repair, the API's whole-day answer misses the bypassed calls
        assertEquals(0, api.get("/analytics/dashboard?start_date=2026-02-01&end_date=2026-02-02", bypassed).data().get("total_calls").asInt());

        var rebuild = run("rollups", "rebuild", "--account", bypassed.id().toString());
        assertEquals(0, rebuild.exitCode(), rebuild.out());
        assertTrue(rebuild.out().startsWith("Rebuilt 2 rollup rows of account " + bypassed.id()), rebuild.out());
        assertEquals(0, run("rollups", "verify").exitCode());
        assertEquals(2, api.get("/analytics/dashboard?start_date=2026-02-01&end_date=2026-02-02", bypassed).data().get("total_calls").asInt());
        assertEquals(1, api.get("/analytics/dashboard?start_date=2026-02-01&end_date=2026-02-02", untouched).data().get("total_calls").asInt());
    }

    @Test
    void disabledTriggersAndAHandEditedRollupAreFoundAndAWholeRebuildRepairsThem() {
        var account = api.newAccount("disabled");
        var assistant = UUID.randomUUID();
        api.calls(account).add(assistant, Instant.parse("2026-03-01T10:00:00Z"), "1");
        api.ctx().execute("ALTER TABLE calls DISABLE TRIGGER calls_insert_rollups");
        try {
            api.calls(account).add(assistant, Instant.parse("2026-03-01T12:00:00Z"), "1");
        } finally {
            api.ctx().execute("ALTER TABLE calls ENABLE TRIGGER calls_insert_rollups");
        }
        api.ctx().execute("UPDATE call_rollups SET minutes = minutes + 0.01 WHERE account_id = ?", account.id());
        var drift = rollups().verify(Optional.of(account.id()));
        assertEquals(4, RollupQueries.rows(drift));
        assertEquals(List.of("call_outcomes 2026-03-01T00:00Z calls 1 2", "call_outcomes 2026-03-01T00:00Z minutes 1 2",
                             "call_rollups 2026-03-01T00:00Z calls 1 2", "call_rollups 2026-03-01T00:00Z minutes 1.01 2",
                             "call_totals day 2026-03-01T00:00Z calls 1 2", "call_totals day 2026-03-01T00:00Z minutes 1 2",
                             "call_totals quarter 2026-03-01T12:00Z calls 0 1", "call_totals quarter 2026-03-01T12:00Z minutes 0 1"),
                     drift.stream().map(RollupsGuardTest::describe).toList());
        assertTrue(rollups().rebuild(Optional.empty()) > 0);
        assertEquals(0, rollups().verify(Optional.empty()).size());
    }

    @Test
    void theTriggersIgnoreAWritersSearchPathAndNobodyElseWritesTheRollups() throws SQLException {
        var account = api.newAccount("search path");
        var role = "loader_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        api.ctx().execute("CREATE ROLE " + role + " LOGIN PASSWORD 'loader'");
        api.ctx().execute("GRANT USAGE, CREATE ON SCHEMA public TO " + role);
        api.ctx().execute("GRANT INSERT, SELECT ON calls TO " + role);
        api.ctx().execute("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
        var loader = new PGSimpleDataSource();
        loader.setUrl(api.database().url());
        loader.setUser(role);
        loader.setPassword("loader");
        try (var connection = loader.getConnection(); var statement = connection.createStatement()) {
            // a look-alike rollups table first on the loader's search_path
            statement.execute("CREATE TABLE " + role + ".call_rollups (account_id uuid, day date, assistant_id uuid, phone_bucket text,"
                              + " calls bigint, minutes numeric)");
            statement.execute("SET search_path = " + role + ", public");
            statement.execute("INSERT INTO calls (account_id, room_name, assistant_id, started_at, call_duration_minutes) VALUES ('"
                              + account.id() + "', 'by-hand', '" + UUID.randomUUID() + "', '2026-04-01T10:00:00Z', 3)");
            try (var fake = statement.executeQuery("SELECT count(*) FROM " + role + ".call_rollups")) {
                fake.next();
                assertEquals(0, fake.getInt(1), "the trigger wrote the real rollups, not the look-alike");
            }
            for (var write : new String[]{"INSERT INTO public.call_rollups VALUES ('" + account.id() + "', '2026-04-01', '"
                                          + UUID.randomUUID() + "', 'x', 1, 1)",
                                          "UPDATE public.call_rollups SET calls = 0", "DELETE FROM public.call_rollups",
                                          "TRUNCATE public.call_rollups", "SELECT * FROM public.call_rollups_rebuild(NULL)",
                                          "INSERT INTO public.call_totals (account_id, level, period_start, calls) VALUES ('"
                                          + account.id() + "', 'day', '2026-04-01', 1)",
                                          "DELETE FROM public.call_totals", "SELECT public.call_totals_fold(10)"}) {
                var refused = assertThrows(SQLException.class, () -> statement.execute(write), write);
                assertEquals("42501", refused.getSQLState(), write + ": " + refused.getMessage());
            }
        } finally {
            api.ctx().execute("DROP SCHEMA " + role + " CASCADE");
            api.ctx().execute("REVOKE ALL ON calls FROM " + role);
            api.ctx().execute("REVOKE ALL ON SCHEMA public FROM " + role);
            api.ctx().execute("DROP ROLE " + role);
        }
        assertEquals(1, api.ctx().fetchCount(CALLS, CALLS.ACCOUNT_ID.eq(account.id())));
        assertEquals(0, rollups().verify(Optional.of(account.id())).size(), "the loader's call is in the rollups");
        assertEquals(3, api.get("/analytics/dashboard?start_date=2026-04-01&end_date=2026-04-01", account).data()
                          .get("total_duration_minutes").asInt());
    }
}
