package dev.callanalytics.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: 256 random bits, shown once, stored only as their SHA-256. A slow password hash is
 * not needed: a key this random cannot be guessed from its hash, and a fast hash keeps every
 * request's lookup cheap.
 */
public final class ApiKey {

    private static final String PREFIX = "ca_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKey() {
    }

    /** A new key, as the caller will send it in {@code Authorization: Bearer <key>}. */
    public static String generate() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code key} has the shape of a key this class generates ("ca_" and 43 base64url characters). */
    public static boolean isWellFormed(String key) {
        return key.length() == PREFIX.length() + 43 && key.startsWith(PREFIX)
               && key.chars().skip(PREFIX.length()).allMatch(c -> c == '-' || c == '_' || c < 128 && Character.isLetterOrDigit(c));
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
