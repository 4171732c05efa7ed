package dev.callanalytics.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code serve --demo} prints works: every curl line answers 200 with data in it, for the
 * demo account's key and for the operator's, and a second start loads nothing again and
 * replaces the keys.
 */
class DemoTest {

    static final Pattern CURL = Pattern.compile("curl -H \"Authorization: Bearer (\\S+)\" \"http://localhost:\\d+(\\S+)\"");

    @RegisterExtension
    static final TestApi api = TestApi.start();

    record Line(String key, String path) {
    }

    static String announce() {
        var text = new StringWriter();
        Demo.loadAndAnnounce(api.database().dataSource(), api.ctx(), "http://localhost:" + api.port(), new PrintWriter(text));
        return text.toString();
    }

    static List<Line> curlLines(String output) {
        var lines = new ArrayList<Line>();
        CURL.matcher(output).results().forEach(m -> lines.add(new Line(m.group(1), m.group(2))));
        return lines;
    }

    /** Whether an answer's data holds something: a count above zero or a list with an entry. */
    static boolean hasData(JsonNode data) {
        if (data.has("total_calls")) {
            return data.get("total_calls").asLong() > 0;
        }
        if (data.has("total_records")) {
            return data.get("total_records").asLong() > 0 && data.get("total_llm_tokens").asLong() > 0;
        }
        for (var field : data) {
            if (field.isArray()) {
                return !field.isEmpty();
            }
        }
        return false;
    }

    @Test
    void everyPrintedCurlLineAnswersWithDataAndTheOperatorSeesBothDemoAccounts() {
        var output = announce();
        var lines = curlLines(output);
        assertEquals(18, lines.size(), output);
        for (var line : lines) {
            var response = api.get(line.path(), line.key());
            assertEquals(200, response.status(), line.path() + ": " + response.body());
            if (line.path().startsWith("/calls/export")) {
                assertTrue(response.body().split("\r\n").length > 2, line.path() + " exported no calls");
            } else {
                assertTrue(hasData(response.data()), line.path() + " answered without data: " + response.body());
            }
        }
        assertEquals(1, api.get("/calls?q=" + Demo.WORD_IN_ONE_CALL, lines.getFirst().key()).data().get("calls").size(),
                     "one demo call says " + Demo.WORD_IN_ONE_CALL);
        assertTrue(output.contains("Dashboard page: open http://localhost:" + api.port() + "/ and paste the key above."), output);
        var operatorKey = lines.getLast().key();
        assertEquals(2, api.get("/admin/analytics/dashboard", operatorKey).data().get("total_active_accounts").asInt());
        assertEquals(2, api.get("/admin/analytics/tokens/by-account", operatorKey).data().get("accounts").size());
        var services = api.get("/analytics/calls/by-service", lines.getFirst().key()).data().get("services");
        assertEquals(List.of("exotel", "twilio", "web"), services.findValuesAsText("service").stream().sorted().toList());
        assertTrue(output.contains("Operator key (admin scope"), output);

        var again = announce();
        assertTrue(again.contains("is already loaded"), again);
        assertFalse(again.contains("Loaded "), again);
        assertEquals(401, api.get("/analytics/dashboard", lines.getFirst().key()).status(), "the last start's key is revoked");
        assertEquals(401, api.get("/admin/analytics/dashboard", operatorKey).status(), "and the operator's");
        for (var line : curlLines(again)) {
            assertEquals(200, api.get(line.path(), line.key()).status(), line.path());
        }
    }
}
