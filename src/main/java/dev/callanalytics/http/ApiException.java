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

    public static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED_401, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException forbidden(String message) {
        return new ApiException(Status.FORBIDDEN_403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND_404, message);
    }

    public static ApiException methodNotAllowed(String method, String path, String allowed) {
        return new ApiException(Status.METHOD_NOT_ALLOWED_405,
                                "Method " + method + " is not allowed on " + path + ": use " + allowed,
                                Map.of("Allow", allowed));
    }

    public static ApiException unavailable(String message) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, message, Map.of("Retry-After", "5"));
    }

    /** The one message for an assistant that does not exist or is another account's. */
    public static ApiException assistantNotFound(String assistantId) {
        return notFound("Assistant not found: " + assistantId);
    }
}
