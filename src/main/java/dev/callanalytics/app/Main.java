package dev.callanalytics.app;

import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.demo.Demo;
import dev.callanalytics.demo.ReferenceData;
import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.http.Zones;
import dev.callanalytics.reporting.ReaderQueries;
import dev.callanalytics.reporting.ReaderQueries.ReaderRefused;
import dev.callanalytics.rollups.RollupQueries;
import dev.callanalytics.rollups.TotalsFolding;
import dev.callanalytics.ingest.CallWriter;
import dev.callanalytics.ingest.ImportProgress;
import dev.callanalytics.ingest.NdjsonImport;
import dev.callanalytics.ingest.NdjsonImport.OnError;
import dev.callanalytics.ingest.WriteSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.LogManager;

/**
 * The command line, and the one place where the objects of the application are wired
 * together, in plain Java: read this file top to bottom to see the whole graph.
 */
@Command(name = "call-analytics",
         mixinStandardHelpOptions = true,
         description = "Analytics for the calls of voice-AI assistants, on PostgreSQL.",
         subcommands = {Main.Serve.class, Main.DemoCommand.class, Main.Migrate.class, Main.Accounts.class, Main.Keys.class,
                        Main.Import.class, Main.Generate.class, Main.Rollups.class, Main.Readers.class,
                        Main.EmbeddedPassword.class})
public final class Main {

    private final Map<String, String> environment;
    private final Shutdown shutdown;

    private Main(Map<String, String> environment, Shutdown shutdown) {
        this.environment = environment;
        this.shutdown = shutdown;
    }

    public static void main(String[] args) {
        configureLogging();
        var out = new PrintWriter(System.out, true);
        var err = new PrintWriter(System.err, true);
        System.exit(run(System.getenv(), Shutdown.onExit(), out, err, args));
    }

    /** Runs a command and returns its exit code; failures to start are one line on {@code err}. */
    public static int run(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        var shutdown = new Shutdown();
        try {
            return run(environment, shutdown, out, err, args);
        } finally {
            shutdown.run();
        }
    }

    private static int run(Map<String, String> environment, Shutdown shutdown, PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new Main(environment, shutdown))
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    if (e instanceof StartupFailure) {
                        commandLine.getErr().println("call-analytics: " + e.getMessage());
                        return 2;
                    }
                    commandLine.getErr().println("call-analytics: unexpected failure: " + ErrorResponses.summary(e));
                    return 1;
                })
                .execute(args);
    }

    private static void configureLogging() {
        try (var in = Main.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("call-analytics: cannot read logging.properties: " + e.getMessage());
        }
    }

    /** What every command has: its settings, its output, and a migrated database to work on. */
    abstract static class Subcommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        Settings settings() {
            return Settings.fromEnvironment(((Main) spec.root().userObject()).environment);
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /**
         * Every command works on a fresh database too: it is migrated first. Whatever ends the
         * command (its end, Ctrl-C, SIGTERM), the one shutdown sequence closes it.
         */
        Database.Connected database() {
            var database = Database.connect(settings());
            shutdown().then("database", database::close);
            return database;
        }

        Shutdown shutdown() {
            return ((Main) spec.root().userObject()).shutdown;
        }

        AccountQueries accounts(Database.Connected database) {
            return new AccountQueries(Database.dsl(database.dataSource()));
        }
    }

    @Command(name = "serve", description = "Apply the migrations, then serve the API on SERVER_PORT (default 8080).")
    static final class Serve extends Subcommand {

        @Option(names = "--demo", description = "Load the demo data set if it is not there yet, and print a key and curl lines.")
        boolean demo;

        @Option(names = "--replica", description = "Also start a streaming replica of the embedded PostgreSQL (DATA_DIR-replica, port "
                                                  + "EMBEDDED_DB_PORT + 1) and read the analytics from it.")
        boolean replica;

        @Override
        public Integer call() throws InterruptedException {
            var database = database();
            var settings = replica ? withStandby(settings(), database) : settings();
            var pools = ServerPools.open(database.target(), settings);
            // told on standard output, as the start is: the JVM's own hook may have closed the log handlers by then
            shutdown().then("pools", () -> {
                pools.close();
                out().println("connection pools closed");
            });
            var folding = TotalsFolding.start(Database.dsl(pools.writes()), TOTALS_FOLDING);
            shutdown().then("totals folding", folding::close);
            var server = ApiServer.start(settings, pools, Clock.systemUTC());
            shutdown().then("server", () -> {
                out().println("stopping: no new requests; those in flight have " + settings.shutdownGrace().toSeconds() + " s to finish");
                server.stop();
                out().println("stopped serving");
            });
            out().println("call-analytics " + version() + " listening on http://localhost:" + server.port()
                          + ", database: " + database.description());
            if (demo) {
                Demo.loadAndAnnounce(database.dataSource(), Database.dsl(database.dataSource()), "http://localhost:" + server.port(), out());
                var onReplica = settings.replica();
                if (onReplica.isPresent()) {
                    // a fresh password at every start, as the demo's key
                    var readers = new ReaderQueries(Database.dsl(database.dataSource()));
                    readers.revoke(DEMO_READER);
                    var password = EmbeddedDatabase.generatePassword();
                    readers.create(DEMO_READER, Optional.of(Demo.ACCOUNT), password);
                    out().println("BI on the replica, as the demo account's reader role (reads the reporting schema only):");
                    out().println("  " + onReplica.get().psqlLine(DEMO_READER, password));
                }
            }
            Thread.currentThread().join();
            return 0;
        }

        /** Starts (or restarts) the embedded standby, and the settings that read from it. */
        private Settings withStandby(Settings settings, Database.Connected database) {
            if (database.embedded() == null) {
                throw new StartupFailure("--replica starts a standby of the embedded PostgreSQL; with DB_URL, run your own replica "
                                         + "and set DB_REPLICA_URL");
            }
            var standby = EmbeddedStandby.start(database.dataSource(), database.target().port(), database.target().password(),
                                                Path.of(settings.dataDirectory() + "-replica"), settings.embeddedDatabasePort() + 1);
            shutdown().then("replica", standby::close);
            out().println("streaming replica: the PostgreSQL standby in " + standby.dataDirectory() + " (localhost:" + standby.port() + ")");
            return settings.withReplica(standby.settingsFor(database.target()));
        }
    }

    static final String DEMO_READER = "call_analytics_demo";
    /** How often the server sums what writes appended to call_totals (see TotalsFolding). */
    static final Duration TOTALS_FOLDING = Duration.ofSeconds(5);

    @Command(name = "demo", description = "Load the demo data set into the database if it is not there yet; print a key and curl lines.")
    static final class DemoCommand extends Subcommand {

        @Override
        public Integer call() {
            try (var database = database()) {
                Demo.loadAndAnnounce(database.dataSource(), Database.dsl(database.dataSource()), "http://localhost:" + settings().serverPort(), out());
                return 0;
            }
        }
    }

    @Command(name = "generate", description = "Load the reference data set of the speed benchmark (20 accounts, 400 days).")
    static final class Generate extends Subcommand {

        @Option(names = "--calls", defaultValue = "10000000", paramLabel = "N", description = "How many calls (default 10,000,000).")
        long calls;

        @Override
        public Integer call() {
            try (var database = database()) {
                double rate = ReferenceData.load(database.dataSource(), Database.dsl(database.dataSource()), calls, out());
                out().printf("Loaded %,d calls at %,.0f calls/s; the largest account is %s%n", calls, rate, ReferenceData.account(0));
                return 0;
            }
        }
    }

    /** The version in the jar's manifest; "dev" when run from the classes (exec:java). */
    static String version() {
        var version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Command(name = "migrate", description = "Apply the database migrations and exit.")
    static final class Migrate extends Subcommand {

        @Override
        public Integer call() {
            try (var database = database()) {
                var result = database.migrations();
                out().println("Applied " + result.migrationsExecuted + " migration(s); schema version "
                                   + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
                return 0;
            }
        }
    }

    @Command(name = "import", description = "Import calls from a file of newline-delimited JSON (one call record per line).")
    static final class Import extends Subcommand {

        @Parameters(paramLabel = "FILE", description = "The file to import, or - for standard input.")
        String file;

        @Option(names = "--account", required = true, paramLabel = "ID", description = "The account the calls belong to.")
        UUID account;

        @Option(names = "--on-error", paramLabel = "MODE", defaultValue = "rollback",
                description = "rollback (default): nothing is written unless every line is valid; skip: write the valid lines.")
        String onError;

        @Override
        public Integer call() throws IOException {
            var mode = switch (onError) {
                case "skip" -> OnError.SKIP;
                case "rollback" -> OnError.ROLLBACK;
                default -> throw new StartupFailure("--on-error must be skip or rollback, got '" + onError + "'");
            };
            var path = Path.of(file);
            if (!file.equals("-") && !Files.isReadable(path)) {
                throw new StartupFailure("cannot read " + file);
            }
            try (var database = database();
                 var input = file.equals("-") ? System.in : Files.newInputStream(path)) {
                if (!accounts(database).accountExists(account)) {
                    throw new StartupFailure("no account with id " + account);
                }
                var err = spec.commandLine().getErr();
                // a progress bar on a terminal only: in a pipe or a log it would be noise
                var progress = System.console() != null && System.console().isTerminal()
                        ? new ImportProgress(file.equals("-") ? -1 : Files.size(path)) : null;
                WriteSummary summary;
                try {
                    summary = new NdjsonImport(new CallWriter(database.dataSource(), CallWriter.Limits.commandLine()))
                            .run(account, progress == null ? input : progress.track(input), mode, progress == null ? lines -> { } : progress,
                                 lineBytes -> { });
                } finally {
                    if (progress != null) {
                        progress.close();
                    }
                }
                summary.errors().forEach(e -> err.println("line " + e.line() + (e.roomName() == null ? "" : " (" + e.roomName() + ")")
                                                           + ": " + e.error()));
                var rejectedAll = mode == OnError.ROLLBACK && summary.rejected() > 0;
                out().println((rejectedAll ? "Import rejected, nothing was written: " : "Import finished: ")
                              + "%d received, %d inserted, %d updated, %d unchanged, %d ignored, %d rejected".formatted(
                        summary.received(), summary.inserted(), summary.updated(), summary.unchanged(),
                        summary.ignored(), summary.rejected()));
                return rejectedAll ? 1 : 0;
            }
        }
    }

    @Command(name = "embedded-password",
             description = "Print the embedded PostgreSQL's password (last line), with a psql line before it.")
    static final class EmbeddedPassword extends Subcommand {

        @Override
        public Integer call() {
            var settings = settings();
            if (settings.database().isPresent()) {
                throw new StartupFailure("DB_URL is set: the database is yours, and so is its password");
            }
            var password = EmbeddedDatabase.password(settings.dataDirectory())
                    .orElseThrow(() -> new StartupFailure("no embedded PostgreSQL with a password in " + settings.dataDirectory()
                                                          + " yet: run any command (serve, migrate) once to create it"));
            out().println("PGPASSWORD='" + password + "' psql -h localhost -p " + settings.embeddedDatabasePort() + " -U postgres postgres");
            out().println(password);
            return 0;
        }
    }

    @Command(name = "accounts", description = "Manage accounts.", subcommands = {Accounts.Create.class, Accounts.SetTimezone.class})
    static final class Accounts {

        @Command(name = "create", description = "Create an account and print its id (last line).")
        static final class Create extends Subcommand {

            @Parameters(paramLabel = "NAME", description = "Name of the account.")
            String name;

            @Option(names = "--timezone", paramLabel = "ZONE", defaultValue = "UTC",
                    description = "The IANA time zone its analytics are taken in when a request names none (default UTC).")
            String timezone;

            @Override
            public Integer call() {
                if (name.isBlank()) {
                    throw new StartupFailure("the account name must not be blank");
                }
                var zone = zone(timezone);
                try (var database = database()) {
                    var id = accounts(database).createAccount(name, zone);
                    out().println("Created account '" + name + "'" + (Zones.isUtc(zone) ? "" : ", in " + zone.getId()));
                    out().println(id);
                    return 0;
                }
            }
        }

        @Command(name = "set-timezone", description = "Set the time zone an account's analytics are taken in when a request names none.")
        static final class SetTimezone extends Subcommand {

            @Parameters(index = "0", paramLabel = "ID", description = "The account.")
            UUID account;

            @Parameters(index = "1", paramLabel = "ZONE", description = "An IANA time zone: UTC, Asia/Kolkata, America/New_York, ...")
            String timezone;

            @Override
            public Integer call() {
                var zone = zone(timezone);
                try (var database = database()) {
                    if (!accounts(database).setTimezone(account, zone)) {
                        throw new StartupFailure("no account with id " + account);
                    }
                    out().println("The analytics of account " + account + " are now taken in " + zone.getId()
                                  + " when a request names no timezone");
                    return 0;
                }
            }
        }

        /** An IANA zone name, or a one-line refusal. */
        static ZoneId zone(String name) {
            return Zones.named(name).orElseThrow(() -> new StartupFailure(
                    "unknown time zone '" + name + "': use an IANA name such as UTC, Asia/Kolkata or America/New_York"));
        }
    }

    @Command(name = "rollups", description = "Check the daily rollups against the raw calls, or rebuild them.",
             subcommands = {Rollups.Verify.class, Rollups.Rebuild.class})
    static final class Rollups {

        @Command(name = "verify", description = "List the rollups that differ from their calls; exit 1 when any does.")
        static final class Verify extends Subcommand {

            @Option(names = "--account", paramLabel = "ID", description = "Only this account (default: every account).")
            UUID account;

            @Override
            public Integer call() {
                try (var database = database()) {
                    var drift = new RollupQueries(Database.dsl(database.dataSource())).verify(Optional.ofNullable(account));
                    drift.stream().limit(20).forEach(d -> out().printf("account %s, %s of %s%s: %s %s in the rollup, %s in the calls%n",
                            d.accountId(), d.rollup(), d.periodStart(),
                            d.assistantId() == null ? "" : ", assistant " + d.assistantId() + ", " + d.phoneBucket() + ", " + d.service(),
                            d.measure(), d.rollupValue().toPlainString(), d.actualValue().toPlainString()));
                    out().println(drift.isEmpty() ? "The rollups equal the calls." : RollupQueries.rows(drift) + " rollup row(s) differ from their calls: run 'rollups rebuild"
                                                                                     + (account == null ? "" : " --account " + account) + "'");
                    return drift.isEmpty() ? 0 : 1;
                }
            }
        }

        @Command(name = "rebuild", description = "Recompute the rollups from the raw calls, in one transaction (writes wait meanwhile).")
        static final class Rebuild extends Subcommand {

            @Option(names = "--account", paramLabel = "ID", description = "Only this account (default: every account).")
            UUID account;

            @Override
            public Integer call() {
                try (var database = database()) {
                    long started = System.nanoTime();
                    long rows = new RollupQueries(Database.dsl(database.dataSource())).rebuild(Optional.ofNullable(account));
                    out().printf("Rebuilt %,d rollup rows of %s in %.1f s%n", rows, account == null ? "every account" : "account " + account,
                                 (System.nanoTime() - started) / 1e9);
                    return 0;
                }
            }
        }
    }

    @Command(name = "readers", description = "Manage PostgreSQL login roles for analysts and BI tools (the reporting schema).",
             subcommands = {Readers.Create.class, Readers.Revoke.class, Readers.ListReaders.class})
    static final class Readers {

        @Command(name = "create",
                 description = "Create a login role that reads the reporting views of one account (or all); print a psql line and its password (last line).")
        static final class Create extends Subcommand {

            @Parameters(paramLabel = "NAME", description = "The role's name: lower-case letters, digits and underscores.")
            String name;

            @CommandLine.ArgGroup(multiplicity = "1")
            Visibility scope;

            static final class Visibility {
                @Option(names = "--account", required = true, paramLabel = "ID", description = "The one account the role sees.")
                UUID account;

                @Option(names = "--all-accounts", required = true, description = "The role sees every account (an operator's BI).")
                boolean allAccounts;
            }

            @Override
            public Integer call() {
                var password = EmbeddedDatabase.generatePassword();
                try (var database = database()) {
                    if (scope.account != null && !accounts(database).accountExists(scope.account)) {
                        throw new StartupFailure("no account with id " + scope.account);
                    }
                    new ReaderQueries(Database.dsl(database.dataSource())).create(name, Optional.ofNullable(scope.account), password);
                    out().println("Created reader " + name + ": it reads the reporting schema, "
                                  + (scope.account == null ? "every account" : "account " + scope.account) + ", and nothing else.");
                    settings().replica().ifPresent(replica -> out().println("On the replica: " + replica.psqlLine(name, password)));
                    out().println(database.target().psqlLine(name, password));
                    out().println(password);
                    return 0;
                } catch (ReaderRefused e) {
                    throw new StartupFailure(e.getMessage());
                }
            }
        }

        @Command(name = "revoke", description = "Drop a reader's role, ending its open sessions.")
        static final class Revoke extends Subcommand {

            @Parameters(paramLabel = "NAME", description = "The reader's role name.")
            String name;

            @Override
            public Integer call() {
                try (var database = database()) {
                    if (!new ReaderQueries(Database.dsl(database.dataSource())).revoke(name)) {
                        throw new StartupFailure("no reader named " + name);
                    }
                    out().println("Revoked reader " + name);
                    return 0;
                } catch (ReaderRefused e) {
                    throw new StartupFailure(e.getMessage());
                }
            }
        }

        @Command(name = "list", description = "List the readers and what each sees.")
        static final class ListReaders extends Subcommand {

            @Override
            public Integer call() {
                try (var database = database()) {
                    for (var reader : new ReaderQueries(Database.dsl(database.dataSource())).list()) {
                        out().println(reader.roleName() + "\t" + reader.account().map(UUID::toString).orElse("all accounts"));
                    }
                    return 0;
                }
            }
        }
    }

    @Command(name = "keys", description = "Manage API keys.", subcommands = {Keys.Create.class, Keys.Revoke.class})
    static final class Keys {

        @Command(name = "create", description = "Create an API key and print it (last line). It is never shown again.")
        static final class Create extends Subcommand {

            @Option(names = "--account", required = true, paramLabel = "ID", description = "The account the key acts for.")
            UUID account;

            @Option(names = "--scope", split = ",", paramLabel = "SCOPE", defaultValue = "read",
                    description = "read, ingest, or both: read,ingest (default: read); admin for the operator's analytics "
                                  + "across every account (/admin/analytics), which reads no account's own routes and writes nothing.")
            List<String> scopes;

            @Override
            public Integer call() {
                var granted = EnumSet.noneOf(Scope.class);
                for (var label : scopes) {
                    try {
                        granted.add(Scope.fromLabel(label));
                    } catch (IllegalArgumentException e) {
                        throw new StartupFailure(e.getMessage());
                    }
                }
                try (var database = database()) {
                    var accounts = accounts(database);
                    if (!accounts.accountExists(account)) {
                        throw new StartupFailure("no account with id " + account);
                    }
                    var key = ApiKey.generate();
                    var keyId = accounts.createKey(account, key, granted);
                    out().println("Created key " + keyId + " with scopes " + scopes
                                       + ". Keep the key below: it is shown only this once.");
                    out().println(key);
                    return 0;
                }
            }
        }

        @Command(name = "revoke", description = "Revoke an API key by its id.")
        static final class Revoke extends Subcommand {

            @Parameters(paramLabel = "KEY_ID", description = "The key's id, as printed by 'keys create'.")
            UUID keyId;

            @Override
            public Integer call() {
                try (var database = database()) {
                    var accounts = accounts(database);
                    if (!accounts.revokeKey(keyId)) {
                        throw new StartupFailure("no valid key with id " + keyId);
                    }
                    out().println("Revoked key " + keyId);
                    return 0;
                }
            }
        }
    }

}
