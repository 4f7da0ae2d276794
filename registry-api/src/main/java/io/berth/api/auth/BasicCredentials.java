package io.berth.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The name and secret of an {@code Authorization: Basic} header. */
public record BasicCredentials(String name, String secret) {
    private static final String SCHEME = "basic ";

    public static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** The credentials, or empty when the header is not well-formed Basic. */
    public static Optional<BasicCredentials> parse(String authorization) {
        if (!isBasic(authorization)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    public static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "bearer ", 0, 7) ? authorization.substring(7).trim() : null;
    }
}
