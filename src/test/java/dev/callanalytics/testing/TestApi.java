package dev.callanalytics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.app.ApiServer;
import dev.callanalytics.app.Database;
import dev.callanalytics.app.ServerPools;
import dev.callanalytics.app.Settings;
import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.auth.Scope;
import io.helidon.webserver.WebServer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The real server on a free port, over a fresh database of its own, and an HTTP client for it:
 * what every API test class starts once, as {@code @RegisterExtension static final TestApi api =
 * TestApi.start();}, and which stops after the class.
 */
public final class TestApi implements AutoCloseable, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresServer.TestDatabase database;
    private final DSLContext ctx;
    private final Settings settings;
    private final ServerPools pools;
    private final WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestApi(Clock clock, Map<String, String> environment) {
        this(PostgresServer.get().newDatabase(), clock, environment);
    }

    private TestApi(PostgresServer.TestDatabase database, Clock clock, Map<String, String> environment) {
        this.database = database;
        this.ctx = Database.dsl(database.dataSource());
        var env = new HashMap<>(environment);
        env.putIfAbsent("SERVER_PORT", "0");
        this.settings = Settings.fromEnvironment(env);
        this.pools = ServerPools.open(database.settings(), settings);
        this.server = ApiServer.start(settings, pools, clock);
    }

    public static TestApi start() {
        return new TestApi(Clock.systemUTC(), Map.of());
    }

    /** A server whose "now" is fixed, for the default range and the dashboard's periods. */
    public static TestApi start(Clock clock) {
        return new TestApi(clock, Map.of());
    }

    /** A second server on the database of another (say one reading a replica, the other not). */
    public static TestApi on(PostgresServer.TestDatabase database, Map<String, String> environment) {
        return new TestApi(database, Clock.systemUTC(), environment);
    }

    /** A server configured as the environment variables {@code environment} say (pool sizes, timeouts). */
    public static TestApi start(Map<String, String> environment) {
        return new TestApi(Clock.systemUTC(), environment);
    }

    public Settings settings() {
        return settings;
    }

    public ServerPools pools() {
        return pools;
    }

    public int port() {
        return server.port();
    }

    public DSLContext ctx() {
        return ctx;
    }

    public PostgresServer.TestDatabase database() {
        return database;
    }

    /** A new account, with one read key and one ingest-only key. */
    public Account newAccount(String name) {
        var accounts = new AccountQueries(ctx);
        var id = accounts.createAccount(name);
        var readKey = ApiKey.generate();
        var ingestKey = ApiKey.generate();
        accounts.createKey(id, readKey, EnumSet.of(Scope.READ));
        accounts.createKey(id, ingestKey, Set.of(Scope.INGEST));
        return new Account(id, readKey, ingestKey);
    }

    /** A new key of {@code account} with these scopes (admin, say). */
    public String newKey(Account account, Set<Scope> scopes) {
        var key = ApiKey.generate();
        new AccountQueries(ctx).createKey(account.id(), key, scopes);
        return key;
    }

    public Calls calls(Account account) {
        return new Calls(ctx, account.id());
    }

    public Response get(String pathAndQuery, String key) {
        return send("GET", pathAndQuery, key, null);
    }

    public Response get(String pathAndQuery, Account account) {
        return get(pathAndQuery, account.readKey());
    }

    public Response send(String method, String pathAndQuery, String key, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + pathAndQuery))
                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                              : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return sendRaw(request);
    }

    /** Sends a request; every response is checked against openapi.yaml before it is returned. */
    public Response sendRaw(HttpRequest.Builder builder) {
        try {
            var request = builder.build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            OpenApiContract.check(request.method(), request.uri(), response);
            var json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            var body = json && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
            return new Response(response.statusCode(), response.headers(), body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + server.port() + pathAndQuery);
    }

    @Override
    public void close() {
        server.stop();
        pools.close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** An account of the test, and its keys. */
    public record Account(UUID id, String readKey, String ingestKey) {
    }

    /** What came back: status, headers, and the body parsed as JSON. */
    public record Response(int status, HttpHeaders headers, JsonNode json, String body) {

        public JsonNode data() {
            return json.get("data");
        }

        public String message() {
            return json.get("message").asText();
        }
    }
}
