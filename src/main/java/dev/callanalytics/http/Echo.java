package dev.callanalytics.http;

import java.util.regex.Pattern;

/**
 * A value the client sent, as an error message may quote it: at most {@value #MAX_CODE_POINTS}
 * characters, control characters and lone surrogates replaced, and anything shaped like an API
 * key masked. An answer never carries a megabyte of input, or a key pasted into the wrong
 * parameter, back to the caller or into a log.
 */
public final class Echo {

    static final int MAX_CODE_POINTS = 40;

    /** Keys are "ca_" and 43 base64url characters; a prefix of a few is already worth masking. */
    private static final Pattern KEY = Pattern.compile("(?i)ca_[A-Za-z0-9_-]{6,}");

    private Echo() {
    }

    public static String of(String value) {
        return of(value, MAX_CODE_POINTS);
    }

    /** As {@link #of(String)}, cut to {@code maxCodePoints}. */
    public static String of(String value, int maxCodePoints) {
        if (value == null) {
            return "null";
        }
        var masked = KEY.matcher(value).replaceAll("ca_<redacted>");
        var out = new StringBuilder(Math.min(masked.length(), maxCodePoints + 3));
        int shown = 0;
        for (int i = 0; i < masked.length(); ) {
            if (shown == maxCodePoints) {
                return out.append("...").toString();
            }
            int c = masked.codePointAt(i);
            i += Character.charCount(c);
            shown++;
            if (Character.isISOControl(c)) {
                out.append('?');
            } else if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    /** The index of the first NUL or lone surrogate in {@code text}, or -1 when it is clean text. */
    public static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What is wrong with {@code text} as text PostgreSQL can store, or null: NUL is refused by
     * PostgreSQL, and a lone surrogate cannot be encoded in UTF-8 (Java would write '?').
     */
    public static String unstorable(String text) {
        int at = firstUnstorable(text);
        if (at < 0) {
            return null;
        }
        return text.charAt(at) == '\u0000' ? "must not contain NUL characters"
                : "must not contain a lone UTF-16 surrogate (\\u" + Integer.toHexString(text.charAt(at)) + " at character " + at + ")";
    }
}
