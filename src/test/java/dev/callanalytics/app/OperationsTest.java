package dev.callanalytics.app;

import dev.callanalytics.testing.LogCapture;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What operators rely on: health probes without a key, the OpenAPI file, one log line per request. */
class OperationsTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();

    @Test
    void healthProbesNeedNoKey() {
        assertJson("{'success': true, 'message': 'Live', 'data': {'status': 'UP'}}", api.get("/health/live", (String) null).json());
        assertJson("{'success': true, 'message': 'Ready', 'data': {'status': 'UP', 'database': 'UP', 'pending_migrations': 0}}",
                   api.get("/health/ready", (String) null).json());
    }

    @Test
    void theOpenApiDescriptionIsServedAsKeptInTheRepository() throws Exception {
        var response = api.sendRaw(java.net.http.HttpRequest.newBuilder(api.uri("/openapi.yaml")));
        assertEquals(200, response.status());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
        assertEquals(java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/openapi.yaml"), StandardCharsets.UTF_8),
                     response.body());
    }

    @Test
    void everyRequestIsOneLogLineWithMethodPathStatusTimeAndAccountButNoKey() {
        var account = api.newAccount("logged");
        try (var logs = LogCapture.of("call-analytics.access")) {
            api.get("/analytics/dashboard?start_date=2026-01-01", account);
            api.get("/analytics/dashboard", "ca_wrong");
            api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null, "{}");
            var lines = logs.messages().stream()
                            .map(line -> line.substring(line.indexOf(' ') + 1).replaceAll(" \\d+ ms ", " N ms "))
                            .toList();
            assertEquals(List.of("GET /analytics/dashboard 200 N ms account=" + account.id(),
                                 "GET /analytics/dashboard 401 N ms account=-",
                                 "POST /webhooks/end-call/<token> 400 N ms account=" + account.id()), lines);
        }
    }
}
