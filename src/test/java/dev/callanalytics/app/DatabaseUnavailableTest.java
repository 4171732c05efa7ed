package dev.callanalytics.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A server whose database cannot be reached answers 503 with Retry-After, not 500. */
class DatabaseUnavailableTest {

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfter() throws Exception {
        var nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/calls");
        var server = ApiServer.start(0, nowhere, Database.dsl(nowhere, Duration.ofSeconds(5)), Clock.systemUTC());
        try {
            var response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/analytics/dashboard"))
                               .header("Authorization", "Bearer ca_anything").build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(503, response.statusCode());
            assertEquals("5", response.headers().firstValue("Retry-After").orElse(null));
            var body = new ObjectMapper().readTree(response.body());
            assertFalse(body.get("success").asBoolean());
            assertEquals("The database is unavailable or too slow right now; retry shortly", body.get("message").asText());

            var ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode());
            assertEquals("Not ready: the database does not answer", new ObjectMapper().readTree(ready.body()).get("message").asText());

            // The failure is logged, but never the webhook's token, which is an API key.
            List<String> logged;
            try (var logs = LogCapture.of(ErrorResponses.class.getName())) {
                var webhook = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/webhooks/end-call/ca_secret-token-42"))
                                   .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, webhook.statusCode());
                logged = logs.messages().stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
            }
            assertEquals(List.of("database unavailable for POST /webhooks/end-call/<token>"),
                         logged.stream().map(line -> line.replaceFirst(": .*", "")).toList());
            assertFalse(String.join("\n", logged).contains("secret-token-42"));
        } finally {
            server.stop();
        }
    }
}
