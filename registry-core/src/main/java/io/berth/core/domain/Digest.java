package io.berth.core.domain;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A validated content digest such as {@code sha256:0123...}. Storage keys and paths are only ever
 * built from this type, so an unchecked string can never reach the filesystem or an object key.
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Comparable<Digest> {

    public Digest {
        if (!algorithm.isValidEncoded(hex)) {
            throw new RegistryException(OciErrorCode.DIGEST_INVALID, "invalid " + algorithm.prefix() + " digest");
        }
    }

    /** Parses a digest; unknown algorithms and malformed values are {@code DIGEST_INVALID}. */
    public static Digest parse(String value) {
        if (value == null) {
            throw new RegistryException(OciErrorCode.DIGEST_INVALID, "digest missing");
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException(OciErrorCode.DIGEST_INVALID, "invalid digest: " + abbreviate(value));
        }
        DigestAlgorithm algorithm = DigestAlgorithm.byPrefix(value.substring(0, colon))
                .orElseThrow(() -> new RegistryException(OciErrorCode.DIGEST_INVALID,
                        "unsupported digest algorithm: " + abbreviate(value.substring(0, colon))));
        return new Digest(algorithm, value.substring(colon + 1));
    }

    /** Whether a string looks like a digest reference rather than a tag (it contains ':'). */
    public static boolean looksLikeDigest(String reference) {
        return reference.indexOf(':') >= 0;
    }

    public static Digest of(DigestAlgorithm algorithm, byte[] content) {
        MessageDigest md = algorithm.newMessageDigest();
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest(content)));
    }

    public static Digest fromFinishedDigest(DigestAlgorithm algorithm, MessageDigest md) {
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }

    @Override
    public String toString() {
        return algorithm.prefix() + ":" + hex;
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    static String abbreviate(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }
}
