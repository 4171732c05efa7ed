package dev.callanalytics.http;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;

/**
 * What every request is checked for before its route runs, where Helidon is more lenient than
 * the API can afford:
 * <ul>
 *   <li>body framing: Content-Length a plain non-negative integer, given once; Transfer-Encoding
 *       {@code chunked} alone; never both (a request that two servers could frame differently is
 *       how requests are smuggled past a proxy);
 *   <li>media: every route answers JSON (OpenAPI's route YAML, the export CSV or NDJSON, which
 *       it checks itself), so an Accept header that admits neither is a 406, in JSON. The
 *       dashboard page and its assets answer whatever a browser asks for them with.
 * </ul>
 * A refused request closes its connection: its body, if any, is not read.
 */
public final class RequestScreening {

    private RequestScreening() {
    }

    public static void screen(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        var headers = req.headers();
        List<String> lengths = headers.contains(HeaderNames.CONTENT_LENGTH) ? headers.get(HeaderNames.CONTENT_LENGTH).allValues() : List.of();
        List<String> codings = headers.contains(HeaderNames.TRANSFER_ENCODING) ? headers.get(HeaderNames.TRANSFER_ENCODING).allValues() : List.of();
        if (!lengths.isEmpty() && !codings.isEmpty()) {
            throw framing("Malformed request: send either Content-Length or Transfer-Encoding, not both");
        }
        if (lengths.size() > 1 || lengths.stream().anyMatch(length -> !length.matches("[0-9]{1,18}"))) {
            throw framing("Malformed request: Content-Length must be a single non-negative integer");
        }
        if (codings.size() > 1 || codings.stream().anyMatch(coding -> !coding.trim().equalsIgnoreCase("chunked"))) {
            throw framing("Malformed request: the only Transfer-Encoding accepted is chunked");
        }
        var path = req.path().path();
        if (negotiatesItself(path)) {
            chain.proceed();
            return;
        }
        boolean acceptable;
        try {
            acceptable = path.equals(OpenApiDocument.PATH)
                    ? headers.isAccepted(OpenApiDocument.MEDIA_TYPE, MediaTypes.create("text/yaml"))
                    : headers.isAccepted(MediaTypes.APPLICATION_JSON);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("Malformed Accept header: use media types such as application/json");
        }
        if (!acceptable) {
            throw ApiException.notAcceptable("This endpoint answers in " + (req.path().path().equals(OpenApiDocument.PATH)
                    ? "application/yaml" : "application/json") + " only: send Accept: application/json, */*, or no Accept header");
        }
        chain.proceed();
    }

    /** The export (CSV or NDJSON: search.ExportFormat), and the page with its assets (web.WebPage). */
    private static boolean negotiatesItself(String path) {
        return path.equals("/calls/export") || path.equals("/") || path.startsWith("/web/");
    }

    private static ApiException framing(String message) {
        return ApiException.badRequestClosing(message);
    }
}
