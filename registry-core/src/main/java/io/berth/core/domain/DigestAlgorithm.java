package io.berth.core.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The digest algorithms the registry verifies content with (OCI image spec: sha256 and sha512). */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String prefix;
    private final String jcaName;
    private final Pattern encoded;

    DigestAlgorithm(String prefix, String jcaName, int hexLength) {
        this.prefix = prefix;
        this.jcaName = jcaName;
        this.encoded = Pattern.compile("[a-f0-9]{" + hexLength + "}");
    }

    public String prefix() {
        return prefix;
    }

    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without " + jcaName, e);
        }
    }

    boolean isValidEncoded(String hex) {
        return encoded.matcher(hex).matches();
    }

    public static Optional<DigestAlgorithm> byPrefix(String prefix) {
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.prefix.equals(prefix)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
