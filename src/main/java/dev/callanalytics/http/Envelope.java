package dev.callanalytics.http;

/** The shape of every response body, success or failure: {@code {success, message, data}}. */
public record Envelope(boolean success, String message, Object data) {

    public static Envelope ok(String message, Object data) {
        return new Envelope(true, message, data);
    }

    public static Envelope error(String message) {
        return new Envelope(false, message, null);
    }
}
