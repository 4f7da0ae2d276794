package io.berth.core.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * The secret of an access token as handed to its owner: {@code berth_at_<id>_<random>}, the id in
 * 32 hex digits so the token row is found without a search, followed by 256 random bits. The
 * prefix also lets secret scanners recognise leaked tokens.
 */
public record AccessTokenSecret(UUID id, String value) {
    public static final String PREFIX = "berth_at_";

    public static AccessTokenSecret generate(UUID id) {
        return new AccessTokenSecret(id, PREFIX + id.toString().replace("-", "") + "_" + Secrets.generate());
    }

    public static Optional<AccessTokenSecret> parse(String value) {
        if (!value.startsWith(PREFIX) || value.length() < PREFIX.length() + 33 || value.charAt(PREFIX.length() + 32) != '_') {
            return Optional.empty();
        }
        String hex = value.substring(PREFIX.length(), PREFIX.length() + 32);
        if (!hex.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
            return Optional.empty();
        }
        UUID id = new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
        return Optional.of(new AccessTokenSecret(id, value));
    }
}
