package dev.callanalytics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes on a socket, for requests no HTTP client would send (bad framing, lower-case methods,
 * HTTP/1.0, oversized lines): sends them as they are and reads one response back.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** One response as it came: status (0 when the server answered nothing), headers (lower-case names), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, or null when it is not JSON. */
        public JsonNode json() {
            try {
                return body.length == 0 ? null : new ObjectMapper().readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    /** Sends {@code request} to the server on {@code port} and reads the response, waiting at most {@code timeoutMillis}. */
    public static Response exchange(int port, byte[] request, int timeoutMillis) {
        try (var socket = new Socket("localhost", port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1).equals("HEAD "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), 5000);
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
        return head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n");
    }

    /** Reads one response: status line, headers, and a body framed by Content-Length (or up to the end). */
    public static Response read(InputStream in) throws IOException {
        return read(in, false);
    }

    /** As {@link #read(InputStream)}; the response to a HEAD request has no body, whatever its Content-Length. */
    public static Response read(InputStream in, boolean toHead) throws IOException {
        var head = new ByteArrayOutputStream();
        try {
            for (int b; !endsWithBlankLine(head) && (b = in.read()) >= 0; ) {
                head.write(b);
            }
        } catch (SocketTimeoutException e) {
            // nothing more came
        }
        var text = head.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/")) {
            return new Response(0, Map.of(), head.toByteArray());
        }
        var lines = text.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status >= 100 && status < 200) {
            // an interim answer (100 Continue): the response follows
            return read(in, toHead);
        }
        var headers = new LinkedHashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        var body = new ByteArrayOutputStream();
        int length = toHead ? 0 : headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : -1;
        try {
            while (length < 0 || body.size() < length) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                body.write(b);
            }
        } catch (SocketTimeoutException e) {
            // what came is the body
        }
        return new Response(status, headers, body.toByteArray());
    }
}
