package dev.callanalytics.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.auth.ApiKey;
import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server whose database cannot be reached answers 503 with Retry-After, not 500, and fast. */
class DatabaseUnavailableTest {

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfter() throws Exception {
        var settings = Settings.fromEnvironment(Map.of("SERVER_PORT", "0"));
        var pools = ServerPools.open(new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/calls", "nobody", null), settings);
        var server = ApiServer.start(settings, pools, Clock.systemUTC());
        try {
            long started = System.nanoTime();
            var response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/analytics/dashboard"))
                               .header("Authorization", "Bearer " + ApiKey.generate()).build(),
                    HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(503, response.statusCode());
            assertEquals("5", response.headers().firstValue("Retry-After").orElse(null));
            assertTrue(millis < 2000, "answered in " + millis + " ms");
            var body = new ObjectMapper().readTree(response.body());
            assertFalse(body.get("success").asBoolean());
            assertEquals("The database is unavailable or too slow right now; retry shortly", body.get("message").asText());

            var ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode());
            assertEquals("Not ready: the database does not answer", new ObjectMapper().readTree(ready.body()).get("message").asText());

            // The failure is logged, but never the webhook's token, which is an API key.
            var token = ApiKey.generate();
            List<String> logged;
            try (var logs = LogCapture.of(ErrorResponses.class.getName())) {
                var webhook = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/webhooks/end-call/" + token))
                                   .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, webhook.statusCode());
                logged = logs.messages().stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
            }
            assertEquals(List.of("database unavailable for POST /webhooks/end-call/<token>"),
                         logged.stream().map(line -> line.replaceFirst(": .*", "")).toList());
            assertFalse(String.join("\n", logged).contains(token.substring(3)));
        } finally {
            server.stop();
            pools.close();
        }
    }
}
