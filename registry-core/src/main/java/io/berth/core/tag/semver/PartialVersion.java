package io.berth.core.tag.semver;

import java.math.BigInteger;
import java.util.List;

/**
 * A version as a constraint may write it: {@code 1}, {@code 1.2}, {@code 1.x}, {@code 1.2.*},
 * {@code *} or a full version; a missing or wildcard part is null, and only a full version may
 * carry a pre-release.
 */
record PartialVersion(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease) {

    static PartialVersion parse(String text) {
        String body = text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
        if (body.isEmpty()) {
            throw new InvalidConstraintException("empty version in constraint");
        }
        String[] parts = body.split("\\.", 3);
        if (parts.length == 3 && !isWildcard(parts[2]) && !parts[2].chars().allMatch(Character::isDigit)) {
            // A full version with a pre-release or build: the specification's grammar decides.
            SemanticVersion full = SemanticVersion.parse(body)
                    .orElseThrow(() -> new InvalidConstraintException("not a semantic version: " + shown(text)));
            return new PartialVersion(full.major(), full.minor(), full.patch(), full.preRelease());
        }
        BigInteger[] numbers = new BigInteger[3];
        boolean wildcardSeen = false;
        for (int i = 0; i < parts.length; i++) {
            if (isWildcard(parts[i])) {
                wildcardSeen = true;
                continue;
            }
            if (wildcardSeen) {
                throw new InvalidConstraintException("a number follows a wildcard in " + shown(text));
            }
            if (parts[i].isEmpty() || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')
                    || parts[i].length() > 1 && parts[i].charAt(0) == '0') {
                throw new InvalidConstraintException("not a version number: " + shown(text));
            }
            numbers[i] = new BigInteger(parts[i]);
        }
        return new PartialVersion(numbers[0], numbers[1], numbers[2], List.of());
    }

    boolean isFull() {
        return patch != null;
    }

    boolean isAny() {
        return major == null;
    }

    /** The lowest version it covers: missing parts are 0. */
    SemanticVersion floor() {
        return new SemanticVersion(orZero(major), orZero(minor), orZero(patch), preRelease, null);
    }

    /**
     * The first version past what it covers, below all its pre-releases ({@code 1.2} covers up to
     * {@code 1.3.0-0}); only for partial versions with at least a major.
     */
    SemanticVersion ceiling() {
        if (minor == null) {
            return new SemanticVersion(major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, List.of("0"), null);
        }
        return new SemanticVersion(major, minor.add(BigInteger.ONE), BigInteger.ZERO, List.of("0"), null);
    }

    private static BigInteger orZero(BigInteger value) {
        return value == null ? BigInteger.ZERO : value;
    }

    private static boolean isWildcard(String part) {
        return part.equals("x") || part.equals("X") || part.equals("*");
    }

    static String shown(String text) {
        return text.length() > 40 ? "'" + text.substring(0, 40) + "...'" : "'" + text + "'";
    }
}
