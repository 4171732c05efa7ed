package dev.callanalytics.app;

import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.testing.LogCapture;
import dev.callanalytics.testing.RawHttp;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.callanalytics.db.Tables.API_KEYS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys, their hashes, passwords and the values inlined in SQL stay out of every answer and every log line. */
class SecretsTest {

    @RegisterExtension
    static final TestApi api = TestApi.start(Map.of("QUERY_TIMEOUT_SECONDS", "1"));

    @Test
    void aPasswordInTheDatabaseUrlIsNeverPrinted() {
        var err = new StringWriter();
        int code = Main.run(Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:1/calls?user=app&password=hunter2&ssl=false"),
                            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "migrate");
        assertEquals(2, code);
        assertTrue(err.toString().contains("jdbc:postgresql://127.0.0.1:1/calls?user=app&password=***&ssl=false"), err.toString());
        assertFalse(err.toString().contains("hunter2"), err.toString());

        var wrong = new StringWriter();
        Main.run(Map.of("DB_URL", "mysql://app:hunter2@db/calls"), new PrintWriter(new StringWriter(), true), new PrintWriter(wrong, true), "migrate");
        assertTrue(wrong.toString().contains("got 'mysql://app:***@db/calls'"), wrong.toString());
        assertFalse(wrong.toString().contains("hunter2"));
    }

    @Test
    void noKeyKeyHashOrInlinedValueReachesALogOrAnAnswer() throws Exception {
        var account = api.newAccount("secrets");
        var assistant = UUID.randomUUID();
        api.calls(account).add(assistant, Instant.now().minusSeconds(3600), "2");
        var revoked = ApiKey.generate();
        var keys = new AccountQueries(api.ctx());
        keys.createKey(account.id(), revoked, Set.of(Scope.READ));
        keys.revokeKey(api.ctx().select(API_KEYS.KEY_ID).from(API_KEYS).where(API_KEYS.KEY_HASH.eq(ApiKey.hash(revoked))).fetchSingle().value1());
        var secrets = List.of(account.readKey(), account.ingestKey(), revoked);

        var answers = new StringBuilder();
        List<String> logged;
        try (var logs = LogCapture.of("")) {
            for (var key : secrets) {
                answers.append(api.get("/analytics/dashboard", key).body());
                answers.append(api.get("/analytics/calls/by-time?assistant_id=" + key, account).body());
                answers.append(api.send("PUT", "/calls/" + key, account.ingestKey(), "{}").body());
                for (var spelling : List.of(key, key.toUpperCase(Locale.ROOT), URLEncoder.encode(key, StandardCharsets.UTF_8))) {
                    answers.append(RawHttp.exchange(api.port(), "POST /Webhooks/End-Call/" + spelling + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                                          .text());
                    answers.append(RawHttp.exchange(api.port(), "POST /webhooks/end-call/" + spelling + " HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n{\"data\":1")
                                          .text());
                }
            }
            // a query that runs out of time: its SQL (with the account and the dates inlined) must not be logged
            api.ctx().transaction(tx -> {
                tx.dsl().execute("LOCK TABLE call_rollups, call_totals IN ACCESS EXCLUSIVE MODE");
                var timedOut = api.get("/analytics/dashboard", account);
                assertEquals(503, timedOut.status(), timedOut.body());
                answers.append(timedOut.body());
            });
            logged = logs.messages();
        }
        var everything = (answers + "\n" + String.join("\n", logged)).toLowerCase(Locale.ROOT);
        for (var key : secrets) {
            var hash = ApiKey.hash(key);
            for (var secret : List.of(key.substring(3), HexFormat.of().formatHex(hash),
                                      java.util.Base64.getEncoder().encodeToString(hash))) {
                assertFalse(everything.contains(secret.toLowerCase(Locale.ROOT)), "found " + secret + " in:\n" + everything);
            }
        }
        var databaseLines = logged.stream().filter(line -> line.contains("database unavailable")).toList();
        assertEquals(1, databaseLines.size(), String.join("\n", logged));
        var line = databaseLines.getFirst().toLowerCase(Locale.ROOT);
        assertTrue(line.contains("sqlstate 57014"), line);
        for (var sql : List.of("select", "call_rollups", "call_totals", account.id().toString(), "timestamp with time zone")) {
            assertFalse(line.contains(sql), "the log line carries SQL (" + sql + "): " + line);
        }
    }
}
