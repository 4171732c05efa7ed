package dev.callanalytics.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code GET /openapi.yaml}: the API's OpenAPI description, as kept in the repository. */
public final class OpenApiDocument {

    /** Where the description is, in the repository (src/main/resources) and on the classpath. */
    public static final String RESOURCE = "/openapi.yaml";

    private static final byte[] DOCUMENT = load();

    private OpenApiDocument() {
    }

    public static void serve(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml").send(DOCUMENT);
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
