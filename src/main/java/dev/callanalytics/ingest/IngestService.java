package dev.callanalytics.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Envelope;
import dev.callanalytics.http.QueryParams;
import dev.callanalytics.ingest.CallParser.Invalid;
import dev.callanalytics.ingest.CallParser.Valid;
import dev.callanalytics.ingest.NdjsonImport.OnError;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.DSLContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

import static dev.callanalytics.auth.Scope.INGEST;

/**
 * Calls in: one report ({@code PUT /calls/{room_name}}), a stream of them
 * ({@code POST /calls/import}), the end-call webhook of LiveKit voice platforms, and explicit
 * assistant renames. Every write needs the {@code ingest} scope and goes through {@link CallWriter}.
 */
public final class IngestService implements HttpService {

    /** Largest body of a single call (PUT, webhook, rename); imports are streamed instead. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final CallWriter writer;
    private final NdjsonImport importer;
    private final DSLContext ctx;
    private final Authenticator auth;

    public IngestService(CallWriter writer, DSLContext ctx, Authenticator auth) {
        this.writer = writer;
        this.importer = new NdjsonImport(writer);
        this.ctx = ctx;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/calls/import", auth.require(INGEST, this::importCalls))
             .put("/calls/{room_name}", auth.require(INGEST, this::putCall))
             .put("/assistants/{assistant_id}", auth.require(INGEST, this::renameAssistant))
             // the sender cannot set headers: the ingest key is the last segment of the URL
             .post("/webhooks/end-call/{token}", this::endCallWebhook);
    }

    private void putCall(Caller caller, ServerRequest req, ServerResponse res) {
        var room = req.path().pathParameters().get("room_name");
        record(caller, CallParser.parse(jsonBody(req), Optional.of(room)), res);
    }

    private void endCallWebhook(ServerRequest req, ServerResponse res) {
        var caller = auth.authenticateKey(req.path().pathParameters().get("token"), INGEST);
        req.context().register(caller);
        var envelope = jsonBody(req);
        var data = envelope.get("data");
        if (data == null || !data.isObject()) {
            throw ApiException.badRequest("Invalid webhook body: data must be the call record, a JSON object");
        }
        record(caller, CallParser.parse(data, Optional.empty()), res);
    }

    private void record(Caller caller, CallParser.Parsed parsed, ServerResponse res) {
        var call = switch (parsed) {
            case Valid valid -> valid.call();
            case Invalid invalid -> throw ApiException.badRequest("Invalid call: " + String.join("; ", invalid.problems()));
        };
        var summary = writer.writeOne(caller.accountId(), call);
        var data = Map.of("room_name", call.roomName(), "result", result(summary));
        if (summary.inserted() == 1) {
            res.status(Status.CREATED_201).send(Envelope.ok("Call recorded", data));
        } else if (summary.updated() == 1) {
            res.send(Envelope.ok("Call updated", data));
        } else if (summary.ignored() == 1) {
            res.send(Envelope.ok("Report ignored: call " + call.roomName() + " has already ended, and a report of '"
                                 + call.callStatus() + "' cannot move it back", data));
        } else {
            res.send(Envelope.ok("Call unchanged: it already holds this report", data));
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
        WriteSummary summary;
        try (var body = req.content().inputStream()) {
            summary = importer.run(caller.accountId(), body, onError, lines -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var counts = "%d received, %d inserted, %d updated, %d unchanged, %d ignored, %d rejected".formatted(
                summary.received(), summary.inserted(), summary.updated(), summary.unchanged(), summary.ignored(), summary.rejected());
        if (onError == OnError.ROLLBACK && summary.rejected() > 0) {
            res.status(Status.BAD_REQUEST_400).send(new Envelope(false, "Import rejected, nothing was written: "
                    + summary.rejected() + " invalid line(s) (see data.errors; ?on_error=skip writes the valid ones). " + counts, summary));
            return;
        }
        res.send(Envelope.ok("Import finished: " + counts, summary));
    }

    private static OnError onError(String raw) {
        return switch (raw) {
            case "skip" -> OnError.SKIP;
            case "rollback" -> OnError.ROLLBACK;
            default -> throw ApiException.badRequest("Invalid on_error '" + raw + "': use skip (write the valid lines) "
                                                     + "or rollback (the default: nothing unless every line is valid)");
        };
    }

    private void renameAssistant(Caller caller, ServerRequest req, ServerResponse res) {
        var rawId = req.path().pathParameters().get("assistant_id");
        var assistant = QueryParams.assistantUuid(rawId);
        var name = jsonBody(req).get("assistant_name");
        if (name == null || !name.isTextual() || name.textValue().isBlank() || name.textValue().length() > 200) {
            throw ApiException.badRequest("Invalid assistant_name: send {\"assistant_name\": \"...\"}, 1 to 200 characters");
        }
        if (!IngestQueries.renameAssistant(ctx, caller.accountId(), assistant, name.textValue())) {
            throw ApiException.assistantNotFound(rawId);
        }
        res.send(Envelope.ok("Assistant renamed", Map.of("assistant_id", assistant, "assistant_name", name.textValue())));
    }

    /** The body as JSON, at most {@link #MAX_BODY_BYTES}. */
    private static JsonNode jsonBody(ServerRequest req) {
        byte[] bytes;
        try (var in = req.content().inputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiException.badRequest("Request body too large: at most " + MAX_BODY_BYTES + " bytes");
        }
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
            throw ApiException.badRequest("Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
