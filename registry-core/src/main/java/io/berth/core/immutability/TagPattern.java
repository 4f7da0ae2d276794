package io.berth.core.immutability;

import io.berth.core.error.ManagementException;
import io.berth.core.regex.BoundedPattern;

/**
 * The pattern of an immutability rule: a Java regular expression matched against the whole tag name
 * (as {@link java.util.regex.Matcher#matches()} does, so {@code v1} protects {@code v1} and not
 * {@code v10}; {@code ^} and {@code $} are allowed and change nothing).
 *
 * <p>Rules are matched on the push path, so a pattern cannot be allowed to backtrack for minutes
 * ({@code (a+)+b} against a long run of {@code a}). Two bounds make that impossible: a pattern is at
 * most {@link #MAX_LENGTH} characters, and each match may read the tag's characters at most
 * {@link #MATCH_BUDGET} times in all. A match that runs out of budget counts as a match: an
 * immutability rule that errs keeps a tag, it never lets one be overwritten.
 */
public final class TagPattern {
    public static final int MAX_LENGTH = 256;
    /** Character reads per match: a tag has at most 128 characters, an ordinary pattern reads each a few times. */
    static final int MATCH_BUDGET = 200_000;

    private final BoundedPattern compiled;

    private TagPattern(BoundedPattern compiled) {
        this.compiled = compiled;
    }

    /** The pattern a client sent as {@code tagPattern}; a 400 naming the field when it is missing, too long or not a regular expression. */
    public static TagPattern parse(String source) {
        if (source == null || source.isEmpty()) {
            throw ManagementException.badRequest("tagPattern is required: a regular expression matched against whole tag names");
        }
        return new TagPattern(BoundedPattern.compile("tagPattern", source, MAX_LENGTH));
    }

    /** A pattern read back from the database, where only valid ones are written. */
    static TagPattern stored(String source) {
        return parse(source);
    }

    /** Whether the whole tag name matches (or the match ran out of budget, which protects the tag). */
    public boolean matches(String tag) {
        try {
            return compiled.matches(tag, new BoundedPattern.Budget(MATCH_BUDGET));
        } catch (BoundedPattern.Exhausted runaway) {
            return true;
        }
    }

    public String source() {
        return compiled.source();
    }

    @Override
    public String toString() {
        return source();
    }
}
