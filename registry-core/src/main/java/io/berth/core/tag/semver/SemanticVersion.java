package io.berth.core.tag.semver;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A version per Semantic Versioning 2.0.0: {@code MAJOR.MINOR.PATCH}, an optional pre-release
 * ({@code -alpha.1}) and optional build metadata ({@code +build.5}), with an optional {@code v} or
 * {@code V} in front as tags often carry. Precedence follows the specification: numbers compare
 * numerically, a pre-release sorts before its release, pre-release identifiers compare one by one
 * (numeric ones numerically and below alphanumeric ones, which compare in ASCII order; a shorter
 * list of equal identifiers sorts first), and build metadata is ignored.
 *
 * <p>Tags may not contain {@code +} (the distribution spec's tag grammar), so Helm's convention is
 * accepted as well: an {@code _} stands for the {@code +} that begins build metadata.
 */
public record SemanticVersion(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease, String build)
        implements Comparable<SemanticVersion> {

    /** Longest text read as a version: tags are at most 128 characters, constraints name a few versions each. */
    static final int MAX_LENGTH = 256;

    public SemanticVersion {
        preRelease = List.copyOf(preRelease);
    }

    public static SemanticVersion of(long major, long minor, long patch, String... preRelease) {
        return new SemanticVersion(BigInteger.valueOf(major), BigInteger.valueOf(minor), BigInteger.valueOf(patch), List.of(preRelease), null);
    }

    /** The version {@code text} spells, or empty when it is not one (leading zeros, missing parts, stray characters). */
    public static Optional<SemanticVersion> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int start = text.charAt(0) == 'v' || text.charAt(0) == 'V' ? 1 : 0;
        int buildAt = indexOfAny(text, start, '+', '_');
        String build = null;
        String rest = text.substring(start, buildAt < 0 ? text.length() : buildAt);
        if (buildAt >= 0) {
            build = text.substring(buildAt + 1);
            if (!identifiers(build, false)) {
                return Optional.empty();
            }
        }
        int dash = rest.indexOf('-');
        String core = dash < 0 ? rest : rest.substring(0, dash);
        List<String> preRelease = List.of();
        if (dash >= 0) {
            String pre = rest.substring(dash + 1);
            if (!identifiers(pre, true)) {
                return Optional.empty();
            }
            preRelease = List.of(pre.split("\\.", -1));
        }
        String[] numbers = core.split("\\.", -1);
        if (numbers.length != 3 || !numeric(numbers[0]) || !numeric(numbers[1]) || !numeric(numbers[2])) {
            return Optional.empty();
        }
        return Optional.of(new SemanticVersion(new BigInteger(numbers[0]), new BigInteger(numbers[1]), new BigInteger(numbers[2]),
                preRelease, build));
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** Whether both share major, minor and patch (npm's rule for which pre-releases a range admits). */
    public boolean sameRelease(SemanticVersion other) {
        return major.equals(other.major) && minor.equals(other.minor) && patch.equals(other.patch);
    }

    /** The same version with a pre-release of its own ({@code 1.2.0-0}: below every other pre-release of 1.2.0). */
    SemanticVersion withPreRelease(String... identifiers) {
        return new SemanticVersion(major, minor, patch, List.of(identifiers), null);
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int byNumbers = major.compareTo(other.major);
        if (byNumbers == 0) {
            byNumbers = minor.compareTo(other.minor);
        }
        if (byNumbers == 0) {
            byNumbers = patch.compareTo(other.patch);
        }
        if (byNumbers != 0) {
            return byNumbers;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            // A release outranks its pre-releases.
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            int byIdentifier = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (byIdentifier != 0) {
                return byIdentifier;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = allDigits(a);
        boolean bNumeric = allDigits(b);
        if (aNumeric && bNumeric) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!preRelease.isEmpty()) {
            text.append('-').append(String.join(".", preRelease));
        }
        if (build != null) {
            text.append('+').append(build);
        }
        return text.toString();
    }

    /** A numeric part: digits, without leading zeros. */
    private static boolean numeric(String part) {
        return allDigits(part) && (part.length() == 1 || part.charAt(0) != '0');
    }

    /**
     * Dot-separated non-empty identifiers of {@code [0-9A-Za-z-]}; in a pre-release, numeric ones
     * have no leading zeros (build metadata may have them).
     */
    private static boolean identifiers(String text, boolean preRelease) {
        if (text.isEmpty()) {
            return false;
        }
        for (String identifier : text.split("\\.", -1)) {
            if (identifier.isEmpty()) {
                return false;
            }
            for (int i = 0; i < identifier.length(); i++) {
                char c = identifier.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                    return false;
                }
            }
            if (preRelease && allDigits(identifier) && !numeric(identifier)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int indexOfAny(String text, int from, char first, char second) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == first || text.charAt(i) == second) {
                return i;
            }
        }
        return -1;
    }
}
