package dev.callanalytics.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

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
        } finally {
            server.stop();
        }
    }
}
