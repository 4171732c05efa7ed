package dev.callanalytics.http;

import io.helidon.webserver.http.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The path of a request as the API reads it and as it may be shown.
 *
 * <p>Path parameters are taken from the raw path, decoded here: Helidon's own parameters drop
 * matrix parameters, so {@code PUT /calls/abc;x=1} would write room {@code abc}. Here a ';' is
 * part of the name, as every other character.
 *
 * <p>The shown path (access log, 404 messages) never carries a key: the webhook's token is cut
 * out however the path is cased or encoded, and any segment shaped like a key is masked.
 */
public final class RequestPath {

    private static final int MAX_SHOWN_SEGMENT = 64;
    private static final int MAX_SHOWN_PATH = 256;
    private static final Pattern KEY_SHAPED = Pattern.compile("(?i).*ca_[A-Za-z0-9_-]{6,}.*");

    private RequestPath() {
    }

    /**
     * The decoded segment {@code index} (0 is the first after the leading '/') of the raw path.
     * A malformed percent-escape or bytes that are not UTF-8 are a 400 naming {@code name}.
     */
    public static String segment(ServerRequest req, int index, String name) {
        var segments = rawSegments(req);
        if (index >= segments.length) {
            throw ApiException.notFound("No such endpoint: " + loggable(req));
        }
        try {
            return decode(segments[index]);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid " + name + " in the path: " + e.getMessage());
        }
    }

    /** Method and path as they may be logged or echoed; no query string, no key. */
    public static String loggable(ServerRequest req) {
        return req.prologue().method().text() + " " + shown(req.path().absolute().rawPath());
    }

    /** A raw path as it may be shown: decoded where it can be, secrets cut out, bounded. */
    static String shown(String rawPath) {
        var segments = rawPath.split("/", -1);
        var out = new StringBuilder();
        var previous = "";
        for (int i = 1; i < segments.length; i++) {
            var segment = decodedOrRaw(segments[i]);
            out.append('/');
            // the webhook's last segment is a key, whatever the case or encoding of the path
            if (previous.equalsIgnoreCase("end-call") && i >= 3 && decodedOrRaw(segments[i - 2]).equalsIgnoreCase("webhooks")) {
                out.append("<token>");
            } else if (KEY_SHAPED.matcher(segment).matches()) {
                out.append("<redacted>");
            } else {
                out.append(Echo.of(segment, MAX_SHOWN_SEGMENT));
            }
            if (out.length() > MAX_SHOWN_PATH) {
                return out.substring(0, MAX_SHOWN_PATH) + "...";
            }
            previous = segment;
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    private static String decodedOrRaw(String raw) {
        try {
            return decode(raw);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static String[] rawSegments(ServerRequest req) {
        var raw = req.path().absolute().rawPath();
        return (raw.startsWith("/") ? raw.substring(1) : raw).split("/", -1);
    }

    /** Percent-decoding of one path segment; '+' is a plus here, not a space. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        var bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                throw new IllegalArgumentException("'%' must be followed by two hexadecimal digits");
            }
            bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                                         .onMalformedInput(CodingErrorAction.REPORT)
                                         .onUnmappableCharacter(CodingErrorAction.REPORT)
                                         .decode(ByteBuffer.wrap(bytes.toByteArray()))
                                         .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the percent-escapes are not UTF-8");
        }
    }
}
