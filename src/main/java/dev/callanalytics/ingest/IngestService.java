package dev.callanalytics.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.Json;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.http.RequestBodies;
import dev.callanalytics.http.RequestPath;
import dev.callanalytics.http.Routes;
import dev.callanalytics.ingest.CallParser.Invalid;
import dev.callanalytics.ingest.CallParser.Valid;
import dev.callanalytics.ingest.NdjsonImport.OnError;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static dev.callanalytics.auth.Scope.INGEST;
import static dev.callanalytics.http.ErrorResponses.allowOnly;

/**
 * Calls in: one report ({@code PUT /calls/{room_name}}), a stream of them
 * ({@code POST /calls/import}), the end-call webhook of LiveKit voice platforms, and explicit
 * assistant renames. Every write needs the {@code ingest} scope and goes through {@link CallWriter}.
 *
 * <p>Each route reads and validates its whole body (an import's spooled to disk) before it takes
 * a database connection, so a slow or stalled client holds a socket and its share of the body
 * memory budget, never a connection or a lock.
 */
public final class IngestService implements HttpService {

    /** Largest body of a single call (PUT, webhook, rename); imports are streamed instead. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final CallWriter writer;
    private final NdjsonImport importer;
    private final Authenticator auth;
    private final RequestBodies bodies;
    private final Uploads uploads;
    private final long maxImportBytes;

    public IngestService(CallWriter writer, Authenticator auth, RequestBodies bodies, Path spoolDirectory, long maxImportBytes) {
        this.writer = writer;
        this.importer = new NdjsonImport(writer);
        this.auth = auth;
        this.bodies = bodies;
        this.uploads = new Uploads(spoolDirectory);
        this.maxImportBytes = maxImportBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        // a PUT to /calls/import writes a room named "import"; only POST there imports
        rules.put("/calls/{room_name}", auth.require(INGEST, this::putCall));
        Routes.write(rules, "POST", "/calls/import", auth.require(INGEST, this::importCalls))
             .put("/assistants/{assistant_id}", auth.require(INGEST, this::renameAssistant))
             // the sender cannot set headers: the ingest key is the last segment of the URL
             .post("/webhooks/end-call/{token}", this::endCallWebhook)
             .any("/calls/{room_name}", allowOnly("PUT"))
             .any("/assistants/{assistant_id}", allowOnly("PUT"))
             .any("/webhooks/end-call/{token}", allowOnly("POST"));
    }

    private void putCall(Caller caller, ServerRequest req, ServerResponse res) {
        var room = RequestPath.segment(req, 1, "room_name");
        try (var body = bodies.readAll(req, MAX_BODY_BYTES)) {
            record(caller, CallParser.parse(jsonObject(body.bytes()), Optional.of(room)), req, res);
        }
    }

    private void endCallWebhook(ServerRequest req, ServerResponse res) {
        var caller = auth.authenticateKey(RequestPath.segment(req, 2, "token"), INGEST);
        req.context().register(caller);
        try (var body = bodies.readAll(req, MAX_BODY_BYTES)) {
            var data = jsonObject(body.bytes()).get("data");
            if (data == null || !data.isObject()) {
                throw ApiException.badRequest("Invalid webhook body: data must be the call record, a JSON object");
            }
            record(caller, CallParser.parse(data, Optional.empty()), req, res);
        }
    }

    private void record(Caller caller, CallParser.Parsed parsed, ServerRequest req, ServerResponse res) {
        var call = switch (parsed) {
            case Valid valid -> valid.call();
            case Invalid invalid -> throw ApiException.badRequest("Invalid call: " + String.join("; ", invalid.problems()));
        };
        var summary = writer.writeOne(caller.accountId(), call);
        var data = Map.of("room_name", call.roomName(), "result", result(summary));
        if (summary.inserted() == 1) {
            res.status(Status.CREATED_201);
            Envelope.ok("Call recorded", data).send(req, res);
        } else if (summary.updated() == 1) {
            Envelope.ok("Call updated", data).send(req, res);
        } else if (summary.ignored() == 1) {
            Envelope.ok("Report ignored: call " + call.roomName() + " has already ended, and a report of '"
                        + call.callStatus() + "' cannot move it back", data).send(req, res);
        } else {
            Envelope.ok("Call unchanged: it already holds this report", data).send(req, res);
        }
    }

    private static String result(WriteSummary summary) {
        if (summary.inserted() == 1) {
            return "created";
        }
        if (summary.updated() == 1) {
            return "updated";
        }
        return summary.ignored() == 1 ? "ignored" : "unchanged";
    }

    private void importCalls(Caller caller, ServerRequest req, ServerResponse res) {
        var onError = QueryParams.of(req).get("on_error").map(IngestService::onError).orElse(OnError.ROLLBACK);
        long declared = RequestBodies.declaredLength(req, maxImportBytes);
        WriteSummary summary;
        try (var slot = uploads.admit(caller.accountId(), declared);
             var lineMemory = bodies.reserve(0);
             var body = bodies.stream(req)) {
            summary = importer.run(caller.accountId(), body, onError, lines -> { }, lineMemory::growTo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var counts = "%d received, %d inserted, %d updated, %d unchanged, %d ignored, %d rejected".formatted(
                summary.received(), summary.inserted(), summary.updated(), summary.unchanged(), summary.ignored(), summary.rejected());
        if (onError == OnError.ROLLBACK && summary.rejected() > 0) {
            res.status(Status.BAD_REQUEST_400);
            new Envelope(false, "Import rejected, nothing was written: " + summary.rejected()
                    + " invalid line(s) (see data.errors; ?on_error=skip writes the valid ones). " + counts, summary).send(req, res);
            return;
        }
        Envelope.ok("Import finished: " + counts, summary).send(req, res);
    }

    private static OnError onError(String raw) {
        return switch (raw) {
            case "skip" -> OnError.SKIP;
            case "rollback" -> OnError.ROLLBACK;
            default -> throw ApiException.badRequest("Invalid on_error '" + Echo.of(raw) + "': use skip (write the valid lines) "
                                                     + "or rollback (the default: nothing unless every line is valid)");
        };
    }

    private void renameAssistant(Caller caller, ServerRequest req, ServerResponse res) {
        var rawId = RequestPath.segment(req, 1, "assistant_id");
        var assistant = QueryParams.assistantUuid(rawId);
        JsonNode name;
        try (var body = bodies.readAll(req, MAX_BODY_BYTES)) {
            name = jsonObject(body.bytes()).get("assistant_name");
        }
        if (name == null || !name.isTextual() || name.textValue().isBlank() || name.textValue().length() > 200) {
            throw ApiException.badRequest("Invalid assistant_name: send {\"assistant_name\": \"...\"}, 1 to 200 characters");
        }
        var unstorable = Echo.unstorable(name.textValue());
        if (unstorable != null) {
            throw ApiException.badRequest("Invalid assistant_name: " + unstorable);
        }
        if (!writer.renameAssistant(caller.accountId(), assistant, name.textValue())) {
            throw ApiException.assistantNotFound(rawId);
        }
        Envelope.ok("Assistant renamed", Map.of("assistant_id", assistant, "assistant_name", name.textValue())).send(req, res);
    }

    /** A body that must be one JSON object. */
    private static JsonNode jsonObject(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("Request body is empty: send a JSON object");
        }
        try {
            var json = NdjsonImport.JSON.readTree(bytes);
            if (json == null || !json.isObject()) {
                throw ApiException.badRequest("Request body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON: " + Json.problem(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
