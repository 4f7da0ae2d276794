package io.berth.core.tag.semver;

import io.berth.core.tag.semver.Comparator.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of versions as npm and Masterminds/semver write them: alternatives joined by {@code ||},
 * each a set of comparisons that must all hold (separated by spaces or commas), each comparison one of
 * {@code =}, {@code !=}, {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ~} (or {@code ~>}),
 * {@code ^}, or none, with a version that may be partial ({@code 1.2}) or have wildcards
 * ({@code 1.x}, {@code 1.2.*}, {@code *}); or a hyphen range {@code 1.2 - 2.3.4}. Partial versions
 * mean what npm gives them: {@code >1.2} is {@code >=1.3.0}, {@code <=1.2} is {@code <1.3.0-0},
 * {@code ~1.2.3} is {@code >=1.2.3 <1.3.0-0}, {@code ^0.2.3} is {@code >=0.2.3 <0.3.0-0}.
 *
 * <p>Pre-releases (npm's rule): a pre-release version satisfies an alternative only when one of its
 * comparisons names a pre-release of the same major, minor and patch ({@code >=1.2.3-beta} admits
 * {@code 1.2.3-rc.1} but not {@code 1.2.4-rc.1}), unless pre-releases are asked for, in which case
 * they are ordinary versions.
 */
public final class VersionConstraint {
    /** Constraints are typed by people: anything longer is a mistake or an attack. */
    public static final int MAX_LENGTH = 512;
    private static final int MAX_COMPARATORS = 64;

    /** Matches every version (no constraint given). */
    public static final VersionConstraint ANY = new VersionConstraint(List.of(List.of()), "*");

    private final List<List<Comparator>> alternatives;
    private final String text;

    private VersionConstraint(List<List<Comparator>> alternatives, String text) {
        this.alternatives = alternatives;
        this.text = text;
    }

    /** Parses {@code text}; an {@link InvalidConstraintException} says what is wrong with it. */
    public static VersionConstraint parse(String text) {
        if (text == null) {
            throw new InvalidConstraintException("no constraint");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidConstraintException("longer than " + MAX_LENGTH + " characters");
        }
        if (text.isBlank()) {
            return ANY;
        }
        List<List<Comparator>> alternatives = new ArrayList<>();
        int comparators = 0;
        for (String alternative : text.split("\\|\\|", -1)) {
            if (alternative.isBlank()) {
                // npm reads an empty alternative as "*", which would quietly admit everything.
                throw new InvalidConstraintException("an alternative between || is empty");
            }
            List<Comparator> set = alternative(alternative.strip());
            comparators += set.size();
            if (comparators > MAX_COMPARATORS) {
                throw new InvalidConstraintException("more than " + MAX_COMPARATORS + " comparisons");
            }
            alternatives.add(set);
        }
        return new VersionConstraint(List.copyOf(alternatives), text.strip());
    }

    /** Whether {@code version} is in the range; pre-releases count only as the class comment says. */
    public boolean admits(SemanticVersion version, boolean includePreReleases) {
        for (List<Comparator> set : alternatives) {
            if (set.stream().allMatch(comparator -> comparator.admits(version))
                    && (includePreReleases || !version.isPreRelease() || namesPreReleaseOf(set, version))) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesPreReleaseOf(List<Comparator> set, SemanticVersion version) {
        return set.stream().anyMatch(comparator -> comparator.version().isPreRelease() && comparator.version().sameRelease(version));
    }

    @Override
    public String toString() {
        return text;
    }

    /** One alternative: a hyphen range, or comparisons that must all hold. */
    private static List<Comparator> alternative(String text) {
        List<String> tokens = tokens(text);
        if (tokens.isEmpty()) {
            return List.of();
        }
        if (tokens.size() == 3 && tokens.get(1).equals("-")) {
            return hyphen(PartialVersion.parse(tokens.get(0)), PartialVersion.parse(tokens.get(2)));
        }
        List<Comparator> set = new ArrayList<>();
        for (String token : tokens) {
            if (token.equals("-")) {
                throw new InvalidConstraintException("a hyphen range is written '<version> - <version>' and stands alone");
            }
            set.addAll(comparison(token));
        }
        return set;
    }

    /**
     * The alternative split into comparisons: at spaces and commas, an operator joined to the
     * version after it ({@code >= 1.2} is {@code >=1.2}).
     */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        String pendingOperator = null;
        for (String word : text.split("[\\s,]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (pendingOperator != null) {
                word = pendingOperator + word;
                pendingOperator = null;
            }
            if (isOperatorOnly(word)) {
                pendingOperator = word;
                continue;
            }
            tokens.add(word);
        }
        if (pendingOperator != null) {
            throw new InvalidConstraintException("'" + pendingOperator + "' is not followed by a version");
        }
        return tokens;
    }

    private static boolean isOperatorOnly(String word) {
        return switch (word) {
            case "=", "==", "!=", ">", ">=", "<", "<=", "~", "~>", "^" -> true;
            default -> false;
        };
    }

    private static List<Comparator> comparison(String token) {
        int split = 0;
        while (split < token.length() && "=!<>~^".indexOf(token.charAt(split)) >= 0) {
            split++;
        }
        String operator = token.substring(0, split);
        PartialVersion version = PartialVersion.parse(token.substring(split));
        return switch (operator) {
            case "", "=", "==" -> exactly(version);
            case "!=" -> {
                if (!version.isFull()) {
                    throw new InvalidConstraintException("!= takes a full version, not " + PartialVersion.shown(token));
                }
                yield List.of(new Comparator(Operator.NE, version.floor()));
            }
            case ">" -> above(version);
            case ">=" -> version.isAny() ? List.of() : List.of(new Comparator(Operator.GE, version.floor()));
            case "<" -> below(version);
            case "<=" -> atMost(version);
            case "~", "~>" -> tilde(version);
            case "^" -> caret(version);
            default -> throw new InvalidConstraintException("unknown operator '" + operator + "' in " + PartialVersion.shown(token));
        };
    }

    /** {@code 1.2.3} exactly; {@code 1.2} and {@code 1.2.x} every 1.2 version; {@code *} anything. */
    private static List<Comparator> exactly(PartialVersion version) {
        if (version.isAny()) {
            return List.of();
        }
        if (version.isFull()) {
            return List.of(new Comparator(Operator.EQ, version.floor()));
        }
        return range(version.floor(), version.ceiling());
    }

    private static List<Comparator> above(PartialVersion version) {
        if (version.isAny()) {
            return nothing();
        }
        if (version.isFull()) {
            return List.of(new Comparator(Operator.GT, version.floor()));
        }
        return List.of(new Comparator(Operator.GE, version.ceiling().withPreRelease()));
    }

    private static List<Comparator> below(PartialVersion version) {
        if (version.isAny()) {
            return nothing();
        }
        if (version.isFull()) {
            return List.of(new Comparator(Operator.LT, version.floor()));
        }
        return List.of(new Comparator(Operator.LT, version.floor().withPreRelease("0")));
    }

    private static List<Comparator> atMost(PartialVersion version) {
        if (version.isAny()) {
            return List.of();
        }
        if (version.isFull()) {
            return List.of(new Comparator(Operator.LE, version.floor()));
        }
        return List.of(new Comparator(Operator.LT, version.ceiling()));
    }

    /** Patch updates when a minor is given, minor updates when only a major is. */
    private static List<Comparator> tilde(PartialVersion version) {
        if (version.isAny()) {
            return List.of();
        }
        PartialVersion upTo = new PartialVersion(version.major(), version.minor(), null, List.of());
        return range(version.floor(), upTo.ceiling());
    }

    /** Updates that do not change the leftmost non-zero part (npm's caret). */
    private static List<Comparator> caret(PartialVersion version) {
        if (version.isAny()) {
            return List.of();
        }
        boolean majorZero = version.major().signum() == 0;
        PartialVersion upTo;
        if (!majorZero || version.minor() == null) {
            upTo = new PartialVersion(version.major(), null, null, List.of());
        } else if (version.minor().signum() != 0 || version.patch() == null) {
            upTo = new PartialVersion(version.major(), version.minor(), null, List.of());
        } else {
            // ^0.0.3: only 0.0.3 and its pre-releases.
            return range(version.floor(), new SemanticVersion(version.major(), version.minor(),
                    version.patch().add(java.math.BigInteger.ONE), List.of("0"), null));
        }
        return range(version.floor(), upTo.ceiling());
    }

    /** {@code low - high}: inclusive at both ends, a partial upper end covering all it names. */
    private static List<Comparator> hyphen(PartialVersion low, PartialVersion high) {
        List<Comparator> set = new ArrayList<>();
        if (!low.isAny()) {
            set.add(new Comparator(Operator.GE, low.floor()));
        }
        if (!high.isAny()) {
            set.add(high.isFull() ? new Comparator(Operator.LE, high.floor()) : new Comparator(Operator.LT, high.ceiling()));
        }
        return set;
    }

    private static List<Comparator> range(SemanticVersion low, SemanticVersion highExclusive) {
        return List.of(new Comparator(Operator.GE, low), new Comparator(Operator.LT, highExclusive));
    }

    /** What {@code >*} and {@code <*} admit. */
    private static List<Comparator> nothing() {
        return List.of(new Comparator(Operator.LT, SemanticVersion.of(0, 0, 0, "0")));
    }
}
