package dev.callanalytics.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The answer to requests Helidon refuses before any route sees them (a malformed request line,
 * path, header or body framing, a request line or headers too long, a body over the limit, HTTP
 * versions other than 1.1) and to the framing errors found while a route reads a body: the same
 * JSON envelope as every other answer, with a 4xx status and a message of our own wording (the
 * server's messages can quote the request, a webhook's key included).
 */
public final class TransportErrors implements DirectHandler {

    private static final Logger LOG = Logger.getLogger(TransportErrors.class.getName());
    /** RFC 6585's status, which Helidon's Status has no constant for. */
    private static final Status HEADERS_TOO_LARGE = Status.create(431, "Request Header Fields Too Large");

    /** Longest request line (method, path, query) and all headers together, in bytes. */
    public static final int MAX_REQUEST_LINE = 4096;
    public static final int MAX_HEADERS = 16384;

    private final long maxBody;

    /** @param maxBody the largest body the server takes (an import's) */
    public TransportErrors(long maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, Throwable thrown, System.Logger logger) {
        return answer(eventType, defaultStatus, responseHeaders, classify(thrown));
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        return answer(eventType, defaultStatus, responseHeaders, message == null ? "" : message.toLowerCase(Locale.ROOT));
    }

    private TransportResponse answer(EventType eventType, Status status, ServerResponseHeaders headers, String cause) {
        Status answered;
        String message;
        boolean keepAlive = false;
        if (eventType == EventType.HTTP_VERSION_NOT_SUPPORTED || status.code() == 505) {
            // HTTP/1.0 shares the major version of 1.1, so 505 would say something untrue; it is
            // the request that this server cannot take.
            answered = Status.BAD_REQUEST_400;
            message = "HTTP/1.0 is not supported: send HTTP/1.1 requests";
        } else if (status.code() == 414 || cause.contains("uri too long")) {
            answered = Status.REQUEST_URI_TOO_LONG_414;
            message = "Request line too long: method, path and query must fit in " + MAX_REQUEST_LINE + " bytes";
        } else if (cause.contains("header size exceeded")) {
            answered = HEADERS_TOO_LARGE;
            message = "Request headers too large: at most " + MAX_HEADERS + " bytes in all";
        } else if (status.code() == 413 || eventType == EventType.PAYLOAD_TOO_LARGE) {
            answered = Status.REQUEST_ENTITY_TOO_LARGE_413;
            message = "Request body too large: at most " + maxBody + " bytes";
        } else if (status.code() == 408) {
            answered = Status.REQUEST_TIMEOUT_408;
            message = "Request timeout: the request line and headers did not arrive within the server's read timeout";
        } else if (status.code() == 503) {
            answered = Status.SERVICE_UNAVAILABLE_503;
            message = "Too many requests in progress; retry shortly";
            headers.set(HeaderNames.RETRY_AFTER, "1");
        } else if (status.code() >= 500) {
            answered = Status.INTERNAL_SERVER_ERROR_500;
            message = "Internal server error";
            keepAlive = eventType.keepAlive();
        } else {
            answered = status.code() >= 400 ? status : Status.BAD_REQUEST_400;
            message = badRequest(cause);
        }
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        if (!keepAlive) {
            headers.set(HeaderValues.CONNECTION_CLOSE);
        }
        if (answered.code() >= 500 && answered.code() != 503) {
            LOG.warning("transport error answered " + answered.code() + ": " + cause);
        }
        return TransportResponse.builder()
                                .status(answered)
                                .headers(headers)
                                .keepAlive(keepAlive)
                                .entity(Envelope.error(message).toJson())
                                .build();
    }

    /** What the request got wrong, by the kind of failure (never by quoting the request). */
    static String badRequest(String cause) {
        if (cause.contains("case-sensitive")) {
            return "Malformed request line: method names are case-sensitive; send GET, HEAD, PUT or POST in capitals";
        }
        if (cause.contains("content length") || cause.contains("content-length")) {
            return "Malformed request: Content-Length must be a single non-negative integer";
        }
        if (cause.contains("chunk")) {
            return "Malformed request: the chunked body is not valid chunked transfer coding";
        }
        if (cause.contains("host")) {
            return "Malformed request: the Host header is missing or invalid";
        }
        if (cause.contains("query")) {
            return "Malformed request: the query string has an invalid character or percent-escape";
        }
        if (cause.contains("encoding")) {
            return "Malformed request: Content-Encoding is not supported; send the body uncompressed";
        }
        if (cause.contains("prologue") || cause.contains("protocol") || cause.contains("method")) {
            return "Malformed request line: expected 'METHOD /path HTTP/1.1'";
        }
        if (cause.contains("path") || cause.contains("uri")) {
            return "Malformed request: the path has an invalid character or percent-escape";
        }
        if (cause.contains("header")) {
            return "Malformed request: a header is not valid HTTP";
        }
        if (cause.contains("end of") || cause.contains("closed") || cause.contains("insufficient")) {
            return "Malformed request: the request ended before its body did";
        }
        return "Malformed HTTP request: the request line, a header (or all of them: at most " + MAX_HEADERS
               + " bytes) or the body's framing is not valid HTTP/1.1";
    }

    /** The messages of the whole cause chain, lower case, for {@link #badRequest}. */
    static String classify(Throwable thrown) {
        var text = new StringBuilder();
        for (var t = thrown; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }
}
