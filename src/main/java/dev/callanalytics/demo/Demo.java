package dev.callanalytics.demo;

import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.ingest.CallWriter;
import org.jooq.DSLContext;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;

/**
 * The demo: an account with 90 days of calls, written through the ingestion path, and a fresh
 * key to look at it with. Keys are stored as hashes, so the key printed at the last start cannot
 * be shown again: every start revokes the demo's old keys and prints a new one.
 */
public final class Demo {

    /** The demo account, the same in every database, so that it is loaded only once. */
    public static final UUID ACCOUNT = UUID.fromString("00000000-0000-4000-8000-0000000de30a");

    private Demo() {
    }

    public static void loadAndAnnounce(DataSource dataSource, DSLContext ctx, String baseUrl, PrintWriter out) {
        var accounts = new AccountQueries(ctx);
        if (accounts.createAccountIfAbsent(ACCOUNT, "Demo (call-analytics)")) {
            out.println("Loading the demo data set (90 days of calls) ...");
            long started = System.nanoTime();
            long loaded;
            var writer = new CallWriter(dataSource, CallWriter.Limits.commandLine());
            try (var staged = writer.stage()) {
                var line = new long[1];
                DemoCalls.generate(Instant.now(), call -> staged.add(++line[0], call));
                loaded = writer.write(ACCOUNT, staged, CallWriter.Kind.IMPORT).inserted();
            }
            out.printf("Loaded %,d demo calls in %.1f s%n", loaded, (System.nanoTime() - started) / 1e9);
        } else {
            out.println("The demo data set is already loaded.");
        }
        accounts.revokeKeys(ACCOUNT);
        var key = ApiKey.generate();
        accounts.createKey(ACCOUNT, key, EnumSet.of(Scope.READ, Scope.INGEST));
        var assistant = DemoCalls.ASSISTANTS.getFirst().id();
        var auth = "curl -H \"Authorization: Bearer " + key + "\" \"" + baseUrl;
        out.println();
        out.println("Demo account " + ACCOUNT + ", API key (read, ingest; replaced at every start):");
        out.println("  " + key);
        out.println("Try:");
        out.println("  " + auth + "/analytics/dashboard\"");
        out.println("  " + auth + "/analytics/calls/by-assistant\"");
        out.println("  " + auth + "/analytics/calls/by-phone-number\"");
        out.println("  " + auth + "/analytics/calls/by-time?granularity=week\"");
        out.println("  " + auth + "/assistant/call-logs/" + assistant + "?limit=5\"");
        out.flush();
    }
}
