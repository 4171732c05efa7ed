package dev.callanalytics.http;

import io.helidon.http.Status;

import java.util.Map;

/**
 * A request the API refuses, with the status and the message the caller is shown. The message
 * says what to fix; it never carries SQL, class names or secrets.
 */
public final class ApiException extends RuntimeException {

    private final Status status;
    private final Map<String, String> headers;

    private ApiException(Status status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    private ApiException(Status status, String message) {
        this(status, message, Map.of());
    }

    public Status status() {
        return status;
    }

    /** Headers the response must carry with this status (Allow, WWW-Authenticate, Retry-After). */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Status.BAD_REQUEST_400, message);
    }

    /** 400 for a request whose body cannot be framed: the connection is closed, the body left unread. */
    public static ApiException badRequestClosing(String message) {
        return new ApiException(Status.BAD_REQUEST_400, message, Map.of("Connection", "close"));
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED_401, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException forbidden(String message) {
        return new ApiException(Status.FORBIDDEN_403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND_404, message);
    }

    /** 405 naming the method to use (the first of {@code allowed}, which the Allow header lists). */
    public static ApiException methodNotAllowed(String method, String path, String allowed) {
        return new ApiException(Status.METHOD_NOT_ALLOWED_405,
                                "Method " + Echo.of(method) + " is not allowed on " + path + ": use " + allowed.split(",")[0],
                                Map.of("Allow", allowed));
    }

    /** 503: a real outage or a full bulkhead; the client should retry after {@code retryAfterSeconds}. */
    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, message, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** 429: the caller already runs as much of this work as one account may; it can retry after {@code retryAfterSeconds}. */
    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(Status.TOO_MANY_REQUESTS_429, message, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** 413: a body over the limit of its route. */
    public static ApiException tooLarge(String message) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, message);
    }

    /** 406: the client accepts no media type this route answers in. */
    public static ApiException notAcceptable(String message) {
        return new ApiException(Status.NOT_ACCEPTABLE_406, message);
    }

    /** The one message for an assistant that does not exist or is another account's. */
    public static ApiException assistantNotFound(String assistantId) {
        return notFound("Assistant not found: " + Echo.of(assistantId));
    }
}
