package io.berth.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random secrets for robots and access tokens, and their stored form. These secrets carry 256
 * random bits, so a plain SHA-256 is as strong as a slow KDF here and keeps each check cheap;
 * user-chosen passwords go through {@link PasswordHasher} instead.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** 256 random bits, URL-safe base64 (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return URL_SAFE.encodeToString(bytes);
    }

    public static byte[] hash(String secret) {
        return sha256(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    public static boolean matches(String presented, byte[] storedHash) {
        return MessageDigest.isEqual(hash(presented), storedHash);
    }

    /** A short, non-reversible name for a stored secret, so credential ids change when it does. */
    public static String fingerprint(byte[] storedSecret) {
        return HexFormat.of().formatHex(sha256(storedSecret), 0, 8);
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
