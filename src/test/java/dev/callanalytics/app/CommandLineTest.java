package dev.callanalytics.app;

import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.Cli.Run;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: accounts and keys as an operator creates them, and failures as one line. */
class CommandLineTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static Map<String, String> env;

    @BeforeAll
    static void start() {
        env = Cli.environment(api.database());
    }

    static Run run(Map<String, String> environment, String... args) {
        return Cli.run(environment, args);
    }

    @Test
    void anOperatorCreatesAnAccountAndAKeyThatWorksUntilRevoked() {
        var account = run(env, "accounts", "create", "Acme Voice");
        assertEquals(0, account.exitCode(), account.err());
        var accountId = UUID.fromString(account.lastLine());

        var created = run(env, "keys", "create", "--account", accountId.toString(), "--scope", "read,ingest");
        assertEquals(0, created.exitCode(), created.err());
        var key = created.lastLine();
        assertTrue(key.length() >= 40, "at least 128 random bits: " + key);
        var keyId = Pattern.compile("Created key ([0-9a-f-]{36})").matcher(created.out()).results().findFirst().orElseThrow().group(1);

        assertEquals(200, api.get("/analytics/dashboard", key).status());
        var revoked = run(env, "keys", "revoke", keyId);
        assertEquals(0, revoked.exitCode(), revoked.err());
        assertEquals(401, api.get("/analytics/dashboard", key).status());
        // Keys are stored as hashes only.
        assertEquals(0, api.ctx().fetchCount(api.ctx().selectFrom("api_keys").where("encode(key_hash, 'escape') like '%' || ? || '%'", key)));
    }

    @Test
    void anOperatorsKeyHasTheAdminScopeAndNothingElse() {
        var accountId = run(env, "accounts", "create", "Operations").lastLine();
        var created = run(env, "keys", "create", "--account", accountId, "--scope", "admin");
        assertEquals(0, created.exitCode(), created.err());
        var key = created.lastLine();
        assertEquals(200, api.get("/admin/analytics/dashboard", key).status());
        assertEquals(403, api.get("/analytics/dashboard", key).status());
        assertEquals(403, api.send("PUT", "/calls/by-operator", key, "{}").status());
    }

    @Test
    void importReadsAFileThroughTheSameRulesAsTheApi(@TempDir Path dir) throws Exception {
        var accountId = run(env, "accounts", "create", "Importer").lastLine();
        var assistant = UUID.randomUUID();
        var file = dir.resolve("calls.ndjson");
        Files.writeString(file, String.join("\n",
                "{\"room_name\": \"r1\", \"assistant_id\": \"" + assistant + "\", \"started_at\": \"2026-03-10T09:00:00Z\", \"call_duration_minutes\": 2}",
                "{\"room_name\": \"r2\", \"assistant_id\": \"" + assistant + "\", \"started_at\": \"yesterday\"}",
                "{\"room_name\": \"r3\", \"assistant_id\": \"" + assistant + "\", \"started_at\": \"2026-03-11T09:00:00Z\", \"call_duration_minutes\": 3}"));

        var rejected = run(env, "import", file.toString(), "--account", accountId);
        assertEquals(1, rejected.exitCode());
        assertEquals("Import rejected, nothing was written: 3 received, 0 inserted, 0 updated, 0 unchanged, 0 ignored, 1 rejected",
                     rejected.lastLine());
        assertEquals("line 2 (r2): started_at: 'yesterday' is not an ISO 8601 date-time such as 2026-03-01T09:30:00Z", rejected.err().strip());

        var skipped = run(env, "import", file.toString(), "--account", accountId, "--on-error", "skip");
        assertEquals(0, skipped.exitCode(), skipped.err());
        assertEquals("Import finished: 3 received, 2 inserted, 0 updated, 0 unchanged, 0 ignored, 1 rejected", skipped.lastLine());
        assertEquals(2, api.ctx().fetchCount(api.ctx().selectFrom("calls").where("account_id = ?::uuid", accountId)));

        assertTrue(run(env, "import", dir.resolve("missing.ndjson").toString(), "--account", accountId).err()
                           .startsWith("call-analytics: cannot read "));
    }

    @Test
    void migrateIsIdempotent() {
        var first = run(env, "migrate");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("Applied 0 migration(s)"), first.out());
    }

    @Test
    void mistakesAreOneLineOnStderrAndANonZeroExit() {
        assertFailure(run(env, "keys", "create", "--account", UUID.randomUUID().toString()), "call-analytics: no account with id ");
        var account = run(env, "accounts", "create", "Scopes").lastLine();
        assertFailure(run(env, "keys", "create", "--account", account, "--scope", "read,owner"),
                      "call-analytics: unknown scope 'owner': use read, ingest or admin");
        assertFailure(run(env, "keys", "revoke", UUID.randomUUID().toString()), "call-analytics: no valid key with id ");
        assertFailure(run(Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:1/nothing"), "migrate"),
                      "call-analytics: cannot connect to the database at jdbc:postgresql://127.0.0.1:1/nothing");
        var badPort = new HashMap<>(env);
        badPort.put("SERVER_PORT", "eighty");
        assertFailure(run(badPort, "serve"), "call-analytics: SERVER_PORT must be an integer from 0 to 65535, got 'eighty'");
    }

    @Test
    void withoutDbUrlAnEmbeddedPostgresKeepsTheDataInDataDirAcrossRestarts(@TempDir Path dataDir) throws Exception {
        int port;
        try (var free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        var embedded = Map.of("DATA_DIR", dataDir.toString(), "EMBEDDED_DB_PORT", String.valueOf(port));

        var account = run(embedded, "accounts", "create", "Kept");
        assertEquals(0, account.exitCode(), account.err());
        assertTrue(Files.exists(dataDir.resolve("PG_VERSION")), "PostgreSQL's files are in DATA_DIR");
        assertTrue(!Files.exists(dataDir.resolve("postmaster.pid")), "and it was stopped at exit");

        // A second process, a second start of PostgreSQL on the same files: the account is there.
        var key = run(embedded, "keys", "create", "--account", account.lastLine());
        assertEquals(0, key.exitCode(), key.err());
    }

    @Test
    void serveOnATakenPortSaysSo() throws Exception {
        try (var taken = new ServerSocket(0)) {
            var busy = new HashMap<>(env);
            busy.put("SERVER_PORT", String.valueOf(taken.getLocalPort()));
            assertFailure(run(busy, "serve"), "call-analytics: port " + taken.getLocalPort() + " is already in use");
        }
    }

    private static void assertFailure(Run run, String messageStart) {
        assertTrue(run.exitCode() != 0, "exit code");
        assertTrue(run.err().startsWith(messageStart), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
    }
}
