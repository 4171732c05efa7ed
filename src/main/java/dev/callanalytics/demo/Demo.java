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
import java.util.List;
import java.util.UUID;

/**
 * The demo: two accounts with 90 days of calls, written through the ingestion path, a fresh key
 * to look at the first with, and a fresh operator's key to look across both. Keys are stored as
 * hashes, so the keys printed at the last start cannot be shown again: every start revokes the
 * demo's old keys and prints new ones.
 */
public final class Demo {

    /** The demo account, the same in every database, so that it is loaded only once. */
    public static final UUID ACCOUNT = DemoCalls.ACME.account();
    /** Said in one call of the demo account only: {@code /calls?q=marigold} finds it. */
    public static final String WORD_IN_ONE_CALL = DemoCalls.WORD_IN_ONE_CALL;

    private Demo() {
    }

    public static void loadAndAnnounce(DataSource dataSource, DSLContext ctx, String baseUrl, PrintWriter out) {
        var accounts = new AccountQueries(ctx);
        for (var tenant : DemoCalls.TENANTS) {
            load(dataSource, accounts, tenant, out);
        }
        accounts.revokeKeys(ACCOUNT);
        var key = ApiKey.generate();
        accounts.createKey(ACCOUNT, key, EnumSet.of(Scope.READ, Scope.INGEST));
        var adminKey = ApiKey.generate();
        accounts.createKey(ACCOUNT, adminKey, EnumSet.of(Scope.ADMIN));

        var assistant = DemoCalls.ASSISTANTS.getFirst().id();
        out.println();
        out.println("Demo account " + ACCOUNT + ", API key (read, ingest; replaced at every start):");
        out.println("  " + key);
        out.println("Dashboard page: open " + baseUrl + "/ and paste the key above.");
        out.println("Try:");
        for (var path : List.of("/analytics/dashboard", "/analytics/calls/by-assistant", "/analytics/calls/by-phone-number",
                                "/analytics/calls/by-time?granularity=week", "/analytics/calls/by-service", "/analytics/tokens/summary",
                                "/analytics/tokens/by-assistant", "/assistant/call-logs/" + assistant + "?limit=5",
                                "/calls?q=" + WORD_IN_ONE_CALL, "/calls?call_status=busy&limit=5", "/calls/export?call_status=failed")) {
            out.println("  " + curl(key, baseUrl, path));
        }
        out.println();
        out.println("Operator key (admin scope: the analytics of EVERY account, and nothing else; replaced at every start):");
        out.println("  " + adminKey);
        out.println("Try:");
        for (var path : List.of("/admin/analytics/dashboard", "/admin/analytics/calls/by-account", "/admin/analytics/calls/by-phone-number",
                                "/admin/analytics/calls/by-service", "/admin/analytics/tokens/summary", "/admin/analytics/tokens/by-account",
                                "/admin/analytics/tokens/by-assistant")) {
            out.println("  " + curl(adminKey, baseUrl, path));
        }
        out.flush();
    }

    /** Loads a demo account's calls, unless the account exists already. */
    private static void load(DataSource dataSource, AccountQueries accounts, DemoCalls.Tenant tenant, PrintWriter out) {
        if (!accounts.createAccountIfAbsent(tenant.account(), tenant.name())) {
            out.println("The demo data set of '" + tenant.name() + "' is already loaded.");
            return;
        }
        out.println("Loading the demo data set of '" + tenant.name() + "' (90 days of calls) ...");
        long started = System.nanoTime();
        long loaded;
        var writer = new CallWriter(dataSource, CallWriter.Limits.commandLine());
        try (var staged = writer.stage()) {
            var line = new long[1];
            DemoCalls.generate(tenant, Instant.now(), call -> staged.add(++line[0], call));
            loaded = writer.write(tenant.account(), staged, CallWriter.Kind.IMPORT).inserted();
        }
        out.printf("Loaded %,d demo calls in %.1f s%n", loaded, (System.nanoTime() - started) / 1e9);
    }

    private static String curl(String key, String baseUrl, String path) {
        return "curl -H \"Authorization: Bearer " + key + "\" \"" + baseUrl + path + "\"";
    }
}
