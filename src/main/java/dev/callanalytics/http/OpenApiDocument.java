package dev.callanalytics.http;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the API's OpenAPI description, as kept in the repository. Served by
 * hand rather than by Helidon's OpenAPI feature, which serves its own path ({@code /openapi})
 * and would answer its errors outside the envelope; this path is the one clients already use.
 */
public final class OpenApiDocument {

    /** Where the description is, in the repository (src/main/resources), on the classpath and on the server. */
    public static final String PATH = "/openapi.yaml";
    public static final String RESOURCE = PATH;
    static final MediaType MEDIA_TYPE = MediaTypes.create("application/yaml");

    private static final byte[] DOCUMENT = load();

    private OpenApiDocument() {
    }

    public static void serve(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE.text());
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(DOCUMENT.length)).send();
        } else {
            res.send(DOCUMENT);
        }
    }

    private static byte[] load() {
        try (var in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
