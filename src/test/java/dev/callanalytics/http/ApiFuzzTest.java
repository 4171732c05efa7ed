package dev.callanalytics.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.rollups.RollupQueries;
import dev.callanalytics.testing.RawHttp;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated hostile requests, {@value #DEFAULT_REQUESTS} per run by default (-Dfuzz.requests,
 * -Dfuzz.seed to replay one run): every route, with mangled request lines, paths, parameters,
 * headers, body framing and body fields, sent as raw bytes. Whatever comes in, the answer is never
 * a 5xx, always the envelope (no body for HEAD), never a class name or SQL in the message, no
 * write is ever accepted, the server stays up, and the data is exactly what it was.
 */
class ApiFuzzTest {

    static final int DEFAULT_REQUESTS = 10_000;

    @RegisterExtension
    static final TestApi api = TestApi.start(Map.of("READ_TIMEOUT_SECONDS", "2"));

    /** What a message must never show: our internals, the libraries', SQL. */
    static final Pattern INTERNALS = Pattern.compile(
            "(?i)exception|java\\.|javax\\.|org\\.|com\\.|io\\.helidon|jooq|psql|hikari|jackson|`|\\bselect\\b|\\binsert\\b|\\bupdate\\b"
            + "|\\bfrom\\s+calls\\b|stack|\\.java|sqlstate|postgres");

    @Test
    void tenThousandHostileRequestsGetA4xxEnvelopeAndChangeNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
        var account = api.newAccount("fuzzed");
        var adminKey = api.newKey(api.newAccount("fuzzing operator"), EnumSet.of(Scope.ADMIN));
        var assistant = UUID.randomUUID();
        for (int i = 0; i < 20; i++) {
            api.calls(account).add(assistant, Instant.now().minusSeconds(3600L * i), String.valueOf(i % 7));
        }
        var before = snapshot();

        var failures = Collections.synchronizedList(new ArrayList<String>());
        var tasks = new ArrayList<Callable<Void>>();
        int threads = 4;
        for (int t = 0; t < threads; t++) {
            long threadSeed = seed + t;
            int share = requests / threads + (t < requests % threads ? 1 : 0);
            tasks.add(() -> {
                var generator = new Generator(new Random(threadSeed), account, adminKey, assistant);
                for (int i = 0; i < share && failures.size() < 20; i++) {
                    var request = generator.next();
                    var problem = check(request, send(request));
                    if (problem != null) {
                        failures.add(problem + "\n  request: " + request.describe());
                    }
                }
                return null;
            });
        }
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (var done : pool.invokeAll(tasks)) {
                done.get();
            }
        }
        assertTrue(failures.isEmpty(), "seed " + seed + " (replay: -Dfuzz.seed=" + seed + "):\n" + String.join("\n\n", failures));
        assertEquals(200, api.get("/health/live", (String) null).status(), "the server is alive");
        assertEquals(200, api.get("/analytics/dashboard", account).status());
        assertEquals(before, snapshot(), "the data is unchanged (seed " + seed + ")");
        assertEquals(List.of(), new RollupQueries(api.ctx()).verify(Optional.empty()));
    }

    /** Every table's rows, as PostgreSQL prints them, hashed. */
    static List<String> snapshot() {
        var tables = List.of("accounts", "api_keys", "assistants", "calls", "transcripts", "call_rollups");
        var digests = new ArrayList<String>();
        for (var table : tables) {
            digests.add(table + " " + api.ctx().fetchValue("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '')"
                                                             + " from " + table + " t"));
        }
        return digests;
    }

    /** A generated request: its bytes, and what it is (for the checks and the report). */
    record Request(String method, String target, byte[] bytes, boolean write) {

        String describe() {
            var text = new String(bytes, 0, Math.min(bytes.length, 600), StandardCharsets.ISO_8859_1);
            return text.replace("\r", "\\r").replace("\n", "\\n") + (bytes.length > 600 ? "... (" + bytes.length + " bytes)" : "");
        }
    }

    static RawHttp.Response send(Request request) {
        try (var socket = new Socket("localhost", api.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.bytes());
            socket.getOutputStream().flush();
            // no more from this client: a body shorter than declared ends here, as a client that hangs up would
            socket.shutdownOutput();
            return RawHttp.read(socket.getInputStream(), request.method().equals("HEAD"));
        } catch (IOException e) {
            return new RawHttp.Response(-1, Map.of(), e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The path the server routes a target to: Helidon collapses repeated slashes and resolves dot segments. */
    private static String servedPath(String target) {
        var path = target.replaceFirst("[?#].*", "").replaceAll("(?i)%2e", ".").replaceAll("/{2,}", "/");
        try {
            return java.net.URI.create(path).normalize().getPath().replaceFirst("^(/\\.\\.)+(?=/|$)", "");
        } catch (IllegalArgumentException notAUri) {
            return path;
        }
    }

    /** What is wrong with the answer to {@code request}, or null. */
    static String check(Request request, RawHttp.Response response) {
        if (response.status() <= 0) {
            return "no answer: " + response.text();
        }
        if (response.status() >= 500) {
            return "a " + response.status() + ": " + response.text();
        }
        if (request.write() && response.status() < 300 && !emptyImport(response)) {
            return "a hostile write was accepted: " + response;
        }
        if (request.method().equals("HEAD")) {
            return response.body().length == 0 ? null : "a body in the answer to HEAD: " + response;
        }
        if (response.status() == 200 && "application/yaml".equals(response.headers().get("content-type"))
            && request.target().contains("openapi.yaml")) {
            return null; // the description itself
        }
        var type = response.headers().getOrDefault("content-type", "");
        var served = servedPath(request.target());
        if (response.status() == 200 && served.equals("/calls/export")
            && (type.equals("text/csv; charset=utf-8") || type.equals("application/x-ndjson; charset=utf-8"))) {
            return null; // an export
        }
        if (response.status() == 200 && served.equals("/")
            && type.equals("text/html; charset=utf-8")) {
            return null; // the dashboard page
        }
        if (!"application/json".equals(response.headers().get("content-type"))) {
            return "not JSON: " + response;
        }
        JsonNode json = response.json();
        if (json == null || !json.isObject() || json.size() != 3 || !json.path("success").isBoolean() || !json.path("message").isTextual()
            || !(json.path("data").isNull() || json.path("data").isObject())) {
            return "not the envelope: " + response;
        }
        if (json.get("success").asBoolean() != response.status() < 300) {
            return "success does not match the status: " + response;
        }
        if (INTERNALS.matcher(json.get("message").asText()).find()) {
            return "internals in the message: " + json.get("message").asText();
        }
        return null;
    }

    /**
     * An import whose body never arrived (no Content-Length, no chunks: HTTP says it has none) is an
     * empty import, rightly answered 200 with nothing received.
     */
    static boolean emptyImport(RawHttp.Response response) {
        var json = response.json();
        return json != null && json.path("data").path("received").asLong(-1) == 0;
    }

    /** Hostile requests over every route of the API, from a seed. */
    static final class Generator {

        private final Random random;
        private final Account account;
        private final String adminKey;
        private final UUID assistant;

        Generator(Random random, Account account, String adminKey, UUID assistant) {
            this.random = random;
            this.account = account;
            this.adminKey = adminKey;
            this.assistant = assistant;
        }

        record Route(String method, String path, List<String> parameters, boolean write, boolean admin) {

            Route(String method, String path, List<String> parameters, boolean write) {
                this(method, path, parameters, write, false);
            }
        }

        private List<Route> routes() {
            var dates = List.of("start_date", "end_date");
            return List.of(
                    new Route("GET", "/analytics/dashboard", List.of("start_date", "end_date", "timezone", "include", "compare"), false),
                    new Route("GET", "/analytics/calls/by-assistant", dates, false),
                    new Route("GET", "/analytics/calls/by-phone-number", List.of("start_date", "end_date", "assistant_id"), false),
                    new Route("GET", "/analytics/calls/by-time", List.of("start_date", "end_date", "assistant_id", "granularity", "timezone",
                                                                         "fill", "include"), false),
                    new Route("GET", "/analytics/calls/by-service", List.of("start_date", "end_date", "assistant_id"), false),
                    new Route("GET", "/analytics/tokens/summary", List.of("start_date", "end_date", "assistant_id"), false),
                    new Route("GET", "/analytics/tokens/by-assistant", dates, false),
                    new Route("GET", "/analytics/calls/by-status", List.of("start_date", "end_date", "assistant_id", "timezone"), false),
                    new Route("GET", "/analytics/calls/by-type", List.of("start_date", "end_date", "assistant_id", "timezone"), false),
                    new Route("GET", "/analytics/calls/by-end-reason", List.of("start_date", "end_date", "assistant_id", "timezone"), false),
                    new Route("POST", "/analytics/query", List.of(), false),
                    new Route("GET", "/admin/analytics/dashboard", dates, false, true),
                    new Route("GET", "/admin/analytics/calls/by-account", dates, false, true),
                    new Route("GET", "/admin/analytics/calls/by-phone-number", List.of("start_date", "end_date", "account_id", "assistant_id"), false, true),
                    new Route("GET", "/admin/analytics/calls/by-service", List.of("start_date", "end_date", "account_id", "assistant_id"), false, true),
                    new Route("GET", "/admin/analytics/tokens/summary", List.of("start_date", "end_date", "account_id", "assistant_id"), false, true),
                    new Route("GET", "/admin/analytics/tokens/by-account", dates, false, true),
                    new Route("GET", "/admin/analytics/tokens/by-assistant", List.of("start_date", "end_date", "account_id"), false, true),
                    new Route("GET", "/assistant/call-logs/" + assistant,
                              List.of("start_date", "end_date", "page", "limit", "sort_by", "sort_order"), false),
                    new Route("GET", "/calls", List.of("q", "assistant_id", "call_status", "call_type", "call_service", "platform_number",
                                                       "phone_bucket", "sip_status_code", "start_date", "end_date", "timezone",
                                                       "min_call_duration_minutes", "max_call_cost", "sort_order", "limit", "cursor"), false),
                    new Route("GET", "/calls/export", List.of("q", "call_status", "min_call_cost", "format", "start_date", "timezone"), false),
                    new Route("GET", "/", List.of(), false),
                    new Route("GET", "/health/live", List.of(), false),
                    new Route("GET", "/health/ready", List.of(), false),
                    new Route("GET", "/openapi.yaml", List.of(), false),
                    new Route("PUT", "/calls/fuzz-room", List.of(), true),
                    new Route("POST", "/calls/import", List.of("on_error"), true),
                    new Route("PUT", "/assistants/" + assistant, List.of(), true),
                    new Route("POST", "/webhooks/end-call/" + account.ingestKey(), List.of(), true));
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        /** Values a parameter or a field can be given that no client should send (some are merely odd). */
        private static final List<String> HOSTILE_TEXT = List.of(
                "", " ", "-1", "0", "2147483648", "99999999999999999999", "1e999999999", "-5000-01-01", "+300000-01-01",
                "0000-12-31", "10000-01-01", "2026-02-30", "2026-13-01", "2026-03-01T25:00:00Z", "2026-03-01T10:00:00+99:00",
                "2005-06-19T23:59:59.9999999Z", "yesterday", "null", "true", "[]", "{}", "NaN", "%00", "%ZZ", "%", "%E2%82",
                "%ED%A0%80", "%C0%AF", "a%00b", "..%2F..%2Fetc%2Fpasswd", "%27%3B%20DROP%20TABLE%20calls%3B--", "%5C", "%0D%0AX-Injected:%201",
                "ca_" + "A".repeat(43), "550e8400-e29b-41d4-a716-446655440000", "00000000-0000-0000-0000-000000000000",
                "week", "WEEK", "day%20", "asc", "DESC", "started_at", "call_cost", "%F0%9F%92%A9", "x".repeat(3000));

        /** JSON values that make a call record invalid, each for any field it is put into. */
        private static final List<String> INVALID_JSON = List.of(
                "1e999999999", "-1e999999999", "1e200000", "1e-20000", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "-1", "-0.5",
                "\"0000-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"", "\"2026-02-30T00:00:00Z\"", "{\"a\": {\"b\": \"\\u0000\"}}",
                "[1, 2, [3, {\"x\": 1e999999}]]", "true", "\"\"", "\"not-a-uuid\"", "\"ringing\"", "\"sms\"", "700", "99", "1.5",
                "\"" + "y".repeat(600) + "\"", "[" + "[".repeat(200) + "]".repeat(200) + "]", "{\"\\u0000\": 1}");

        /** The fields of a call record and the values that must make each of them invalid. */
        private static final List<String> FIELDS = List.of(
                "room_name", "assistant_id", "assistant_name", "call_type", "call_service", "platform_number", "to_number", "call_status",
                "call_status_reason", "sip_status_code", "sip_status_text", "started_at", "answered_at", "ended_at",
                "call_duration_minutes", "call_cost", "recording_path", "queue_id", "is_passthrough", "agent_ready_at",
                "call_end_reason", "billable_duration_minutes", "usage", "transcripts");

        /** The value of {@code field} that is certainly invalid for it. */
        private String invalidValue(String field) {
            var value = pick(INVALID_JSON);
            var invalidForAll = value.contains("\\u0000") || value.contains("\\ud800") || value.contains("\\udc00") || value.contains("1e999999")
                                || value.contains("1e200000") || value.startsWith("[");
            if (invalidForAll && !field.equals("usage")) {
                return value;
            }
            return switch (field) {
                case "usage" -> pick(List.of("{\"n\": 1e200000}", "{\"m\": \"\\u0000\"}", "{\"\\ud800\": 1}", "[1]", "\"usage\"", "7"));
                case "transcripts" -> pick(List.of("{}", "\"x\"", "[{\"text\": \"\\ud800\"}]", "[{\"timestamp\": \"soon\"}]", "[1]",
                                                   "[{\"speaker\": 5}]"));
                case "started_at" -> pick(List.of("null", "\"0000-01-01T00:00:00Z\"", "\"soon\"", "5", "\"2026-02-30T00:00:00Z\""));
                case "assistant_id" -> pick(List.of("null", "\"not-a-uuid\"", "5", "\"550e8400e29b41d4a716446655440000\""));
                case "room_name" -> pick(List.of("\"\"", "\"   \"", "\"a\\nb\"", "5", "\"" + "r".repeat(600) + "\""));
                case "call_type" -> pick(List.of("\"sms\"", "5", "\"WEB\""));
                case "call_status" -> pick(List.of("\"ringing\"", "\"COMPLETED\"", "1"));
                case "sip_status_code" -> pick(List.of("99", "700", "1.5", "\"486\""));
                case "call_duration_minutes", "call_cost" -> pick(List.of("-1", "1e999999999", "1e-20000", "\"4.5\"", "1e12"));
                case "billable_duration_minutes" -> pick(List.of("-1", "1.5", "2147483648"));
                case "is_passthrough" -> pick(List.of("\"yes\"", "1"));
                case "answered_at", "ended_at", "agent_ready_at" -> pick(List.of("\"0000-01-01T00:00:00Z\"", "\"later\"", "5",
                                                                                  "\"+10000-01-01T00:00:00Z\""));
                default -> pick(List.of("5", "{}", "[]", "\"\\u0000\"", "\"\\ud800\"", "true"));
            };
        }

        private String callJson(String room, boolean withRoom, List<String[]> overrides) {
            var fields = new java.util.LinkedHashMap<String, String>();
            if (withRoom) {
                fields.put("room_name", "\"" + room + "\"");
            }
            fields.put("assistant_id", "\"" + assistant + "\"");
            fields.put("assistant_name", "\"Fuzz Bot\"");
            fields.put("call_status", "\"completed\"");
            fields.put("started_at", "\"2026-03-10T09:00:00Z\"");
            fields.put("call_duration_minutes", "2.5");
            for (var override : overrides) {
                fields.put(override[0], override[1]);
            }
            var json = new StringBuilder("{");
            fields.forEach((name, value) -> json.append(json.length() > 1 ? ", " : "").append('"').append(name).append("\": ").append(value));
            return json.append('}').toString();
        }

        /** A body for a write that is certainly refused: a field made invalid, or the whole body broken. */
        private byte[] hostileBody(Route route) {
            if (chance(20)) {
                return pick(List.of("", "{", "{\"a\":", "[]", "null", "\"text\"", "1e999999999", "{\"data\": 5}", "{\"data\": null}",
                                    "\uFEFF{}", "{\"assistant_name\": 5}", "{\"assistant_name\": \"\"}", "{}{}",
                                    "{" + "\"a\":{".repeat(1500) + "}".repeat(1501), "not json at all", "\u0000\u0001\u0002"))
                        .getBytes(StandardCharsets.UTF_8);
            }
            if (chance(5)) {
                return new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}; // not UTF-8
            }
            var overrides = new ArrayList<String[]>();
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                var field = pick(FIELDS);
                overrides.add(new String[]{field, invalidValue(field)});
            }
            boolean isImport = route.path().equals("/calls/import");
            var call = callJson("fuzz-" + random.nextInt(1000), isImport || route.path().startsWith("/webhooks"), overrides);
            if (route.path().startsWith("/assistants/")) {
                return ("{\"assistant_name\": " + invalidValue("assistant_name") + "}").getBytes(StandardCharsets.UTF_8);
            }
            if (route.path().startsWith("/webhooks/")) {
                return ("{\"success\": true, \"message\": \"ended\", \"data\": " + call + "}").getBytes(StandardCharsets.UTF_8);
            }
            if (isImport) {
                // with or without good lines around the bad one; all or nothing by default
                return ((chance(50) ? callJson("ok-" + random.nextInt(1000), true, List.of()) + "\n" : "") + call + "\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            return call.getBytes(StandardCharsets.UTF_8);
        }

        private String query(Route route) {
            var parameters = new ArrayList<String>();
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                var name = route.parameters().isEmpty() || chance(15) ? pick(List.of("x", "start_date", "%00", "limit", "page[0]", ""))
                        : pick(route.parameters());
                parameters.add(name + (chance(5) ? "" : "=" + pick(HOSTILE_TEXT)));
            }
            return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
        }

        private String mangledPath(String path) {
            return switch (random.nextInt(9)) {
                case 0 -> path + "/extra";
                case 1 -> path.replace("/", "//");
                case 2 -> path + "%00";
                case 3 -> path + ";x=1";
                case 4 -> path.toUpperCase();
                case 5 -> path + "/" + "a".repeat(300);
                case 6 -> path.replaceFirst("/[^/]*$", "/" + pick(HOSTILE_TEXT).replace(" ", "%20"));
                case 7 -> "/" + pick(List.of("", "..", "%2e%2e", "api", "calls", "assistant", "webhooks/end-call", "%ZZ")) + path;
                default -> path + "%2F..";
            };
        }

        Request next() {
            if (chance(12)) {
                return framing();
            }
            var route = pick(routes());
            var method = route.method();
            if (chance(10)) {
                method = pick(List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "Put", "BREW", "X-Y"));
            }
            var path = chance(15) ? mangledPath(route.path()) : route.path();
            var target = path + query(route);
            // every write carries at least one thing that must refuse it (a POST of a typed query reads: it may be answered)
            boolean write = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS") && !method.equals("TRACE")
                            && !route.path().equals("/analytics/query");
            byte[] body = write || method.equals("POST") || chance(10) ? hostileBody(route) : new byte[0];
            var headers = new ArrayList<String>();
            headers.add("Host: localhost");
            switch (random.nextInt(12)) {
                case 0 -> { }
                case 1 -> headers.add("Authorization: Basic dXNlcjpwYXNz");
                case 2 -> headers.add("Authorization: Bearer ca_" + "x".repeat(43));
                case 3 -> headers.add("Authorization: Bearer " + "k".repeat(5000));
                case 4 -> headers.add("Authorization: bearer  " + account.readKey());
                case 5 -> headers.add("Authorization: Bearer " + account.readKey() + "\u00e9");
                default -> headers.add("Authorization: Bearer " + (route.admin() ? adminKey : route.write() ? account.ingestKey() : account.readKey()));
            }
            if (chance(20)) {
                headers.add("Accept: " + pick(List.of("text/csv", "application/json", "*/*", "application/xml;q=0.9", "text/html,*/*;q=0.1",
                                                      "application/json;q=0", "garbage/", ";;;", "application/*")));
            }
            if (chance(10)) {
                headers.add("Content-Type: " + pick(List.of("text/plain", "application/json; charset=latin1", "multipart/form-data", "x")));
            }
            if (chance(5)) {
                headers.add(pick(List.of("X-Long: " + "z".repeat(8000), "Expect: 100-continue", "Connection: close", "Content-Encoding: gzip",
                                         "X-Forwarded-For: 1.2.3.4", "Cookie: session=" + "c".repeat(200))));
            }
            boolean declared = body.length > 0 || chance(30);
            if (declared) {
                int length = chance(8) ? body.length + pick(List.of(-1, 1, 100, 1 << 20)) : body.length;
                headers.add("Content-Length: " + Math.max(0, length));
            }
            return assemble(method, target, headers, body, write || route.write());
        }

        /** Requests whose framing is broken: request line, version, headers, Content-Length, chunks. */
        private Request framing() {
            var route = pick(routes());
            var key = route.write() ? account.ingestKey() : account.readKey();
            var body = hostileBody(route);
            String head = switch (random.nextInt(14)) {
                case 0 -> route.method() + " " + route.path() + " HTTP/1.0\r\n";
                case 1 -> route.method() + " " + route.path() + " HTTP/2.0\r\nHost: x\r\n";
                case 2 -> route.method() + "  " + route.path() + " HTTP/1.1\r\nHost: x\r\n";
                case 3 -> route.method() + " " + route.path() + "\r\nHost: x\r\n";
                case 4 -> route.method() + " " + route.path() + " HTTP/1.1\nHost: x\n";
                case 5 -> route.method() + " " + route.path() + "?q=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n";
                case 6 -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n";
                case 7 -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\n: empty-name\r\n";
                case 8 -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\nContent-Length: -" + random.nextInt(10) + "\r\n";
                case 9 -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n";
                case 10 -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n";
                case 11 -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n";
                case 12 -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n";
                default -> route.method() + " " + route.path() + " HTTP/1.1\r\nHost: x\r\nX-Many: " + "h".repeat(17_000) + "\r\n";
            };
            var out = new ByteArrayOutputStream();
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(("Authorization: Bearer " + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            if (head.contains("chunked")) {
                // a chunk that lies about its size, or a size that is not hex
                out.writeBytes(pick(List.of("ZZ\r\n", "5\r\nab\r\n0\r\n\r\n", "-1\r\n", "ffffffffff\r\nx\r\n", "3;ext\r\nabc\r\n0\r\n\r\n",
                                            Integer.toHexString(body.length) + "\r\n" + new String(body, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n"))
                                       .getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes(body);
            }
            return new Request(route.method(), route.path(), out.toByteArray(), route.write());
        }

        private Request assemble(String method, String target, List<String> headers, byte[] body, boolean write) {
            var out = new ByteArrayOutputStream();
            out.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            for (var header : headers) {
                out.writeBytes((header + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            return new Request(method, target, out.toByteArray(), write);
        }
    }
}
