package io.berth.core.autoprune;

import io.berth.core.error.ManagementException;
import io.berth.core.regex.BoundedPattern;
import java.util.Optional;

/**
 * Which tags a policy applies to. Three regular expressions (Java syntax, matched anywhere in the
 * name as PostgreSQL's {@code ~} and Quay do; anchor with {@code ^...$} for whole names), all of
 * which must agree: Quay's {@code tagPattern} with {@code tagPatternMatches} (true: the tags that
 * match it, false: those that do not), {@code includeTagPattern} (only tags that match) and
 * {@code excludeTagPattern} (never tags that match). Without any, every tag.
 *
 * <p>A pattern is written by a namespace's administrator but matched on the registry's event loop,
 * so each match has a budget of character reads: a pattern that backtracks catastrophically fails
 * the run instead of stalling the node.
 */
public final class TagFilter {
    static final int MAX_PATTERN = 1000;
    /** Character reads one match may make; a 128-character tag needs a few thousand for any sane pattern. */
    private static final long BUDGET = 1_000_000;

    private final BoundedPattern tagPattern;
    private final boolean tagPatternMatches;
    private final BoundedPattern include;
    private final BoundedPattern exclude;

    TagFilter(String tagPattern, boolean tagPatternMatches, String include, String exclude) {
        this.tagPattern = compile("tagPattern", tagPattern);
        this.tagPatternMatches = tagPatternMatches;
        this.include = compile("includeTagPattern", include);
        this.exclude = compile("excludeTagPattern", exclude);
    }

    /** Why the policy leaves the tag alone, or empty when it applies to it. */
    public Optional<String> exclusion(String tag) {
        if (tagPattern != null && find(tagPattern, tag) != tagPatternMatches) {
            return Optional.of(tagPatternMatches ? "excluded by pattern: does not match tagPattern" : "excluded by pattern: matches tagPattern");
        }
        if (include != null && !find(include, tag)) {
            return Optional.of("excluded by pattern: does not match includeTagPattern");
        }
        if (exclude != null && find(exclude, tag)) {
            return Optional.of("excluded by pattern: matches excludeTagPattern");
        }
        return Optional.empty();
    }

    /** Checks a pattern as a policy field; 400 naming the field when it is empty, too long or not a regular expression. */
    static BoundedPattern compile(String field, String pattern) {
        if (pattern == null) {
            return null;
        }
        if (pattern.isEmpty()) {
            throw ManagementException.badRequest(field + " must be a regular expression of 1 to " + MAX_PATTERN + " characters");
        }
        return BoundedPattern.compile(field, pattern, MAX_PATTERN);
    }

    private static boolean find(BoundedPattern pattern, String tag) {
        try {
            return pattern.find(tag, new BoundedPattern.Budget(BUDGET));
        } catch (BoundedPattern.Exhausted runaway) {
            throw new PatternTooCostlyException();
        }
    }

    /** A pattern that took too long to match a tag name: the run fails with this message. */
    static final class PatternTooCostlyException extends RuntimeException {
        PatternTooCostlyException() {
            super("a tag pattern takes too long to match (it backtracks catastrophically); simplify it", null, false, false);
        }
    }
}
