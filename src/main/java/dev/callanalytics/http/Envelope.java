package dev.callanalytics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The shape of every response body, success or failure: {@code {success, message, data}}. */
public record Envelope(boolean success, String message, Object data) {

    private static final ObjectMapper JSON = Json.mapper();

    public static Envelope ok(String message, Object data) {
        return new Envelope(true, message, data);
    }

    public static Envelope error(String message) {
        return new Envelope(false, message, null);
    }

    /** This envelope as JSON. */
    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON", e);
        }
    }

    /**
     * Writes this envelope as the JSON body of {@code res}, whatever the request's Accept says
     * (Helidon's media support would choose a writer by Accept and find none for text/csv), and
     * for a HEAD request the headers alone, as HTTP requires.
     */
    public void send(ServerRequest req, ServerResponse res) {
        byte[] body = toJson();
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length)).send();
        } else {
            res.send(body);
        }
    }
}
