package dev.callanalytics.search;

import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Instants;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;

/**
 * Where a page of a search ends: the last call's (started_at, room_name), which with the order
 * (newest or oldest first, room_name breaking ties) is a position in a total order, so that the
 * next page starts right after it however many calls arrive meanwhile: nothing skipped, nothing
 * repeated. Opaque to clients (base64url), and bound to the search it came from: a cursor read
 * against other filters or the other order is a 400, not a page that silently skips.
 */
record SearchCursor(boolean newestFirst, Instant startedAt, String roomName, byte[] search) {

    private static final String VERSION = "c1";
    private static final int DIGEST_BYTES = 8;

    static SearchCursor after(boolean newestFirst, Instant startedAt, String roomName, CallFilter filter) {
        return new SearchCursor(newestFirst, startedAt, roomName, digest(filter));
    }

    String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, startedAt);
        var text = VERSION + "|" + (newestFirst ? "d" : "a") + "|" + micros + "|" + Base64.getUrlEncoder().withoutPadding().encodeToString(search)
                   + "|" + roomName;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client passed back, checked against the search it is passed with. */
    static SearchCursor decode(String raw, boolean newestFirst, CallFilter filter) {
        String[] parts;
        long micros;
        byte[] search;
        try {
            parts = new String(Base64.getUrlDecoder().decode(raw.trim()), StandardCharsets.UTF_8).split("\\|", 5);
            if (parts.length != 5 || !parts[0].equals(VERSION) || !(parts[1].equals("d") || parts[1].equals("a")) || parts[4].isEmpty()) {
                throw invalid();
            }
            micros = Long.parseLong(parts[2]);
            search = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (parts[1].equals("d") != newestFirst) {
            throw ApiException.badRequest("Invalid cursor: it continues a search in the other sort_order; pass the same sort_order"
                                          + " as the first page");
        }
        if (!Arrays.equals(search, digest(filter))) {
            throw ApiException.badRequest("Invalid cursor: it continues a search with other filters; pass the same filters as the"
                                          + " first page, or leave cursor out to start again");
        }
        var startedAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        if (!Instants.inRange(startedAt)) {
            throw invalid();
        }
        return new SearchCursor(newestFirst, startedAt, parts[4], search);
    }

    private static ApiException invalid() {
        return ApiException.badRequest("Invalid cursor: pass back data.next of the previous page as it was given");
    }

    private static byte[] digest(CallFilter filter) {
        try {
            var sha = MessageDigest.getInstance("SHA-256").digest(filter.canonical().getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha, DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
