package io.berth.core.tag.policy;

import io.berth.core.error.ManagementException;
import io.berth.core.regex.BoundedPattern;
import java.util.regex.Matcher;

/**
 * A Java regular expression a tag name is searched with ({@link Matcher#find}, as Flux's and Argo CD
 * Image Updater's tag filters do: anchor it with {@code ^...$} to match the whole name). A pattern
 * is the caller's text run against every tag, so its work is bounded: matching that reads tag names
 * more than {@link #STEPS} times in one request (catastrophic backtracking) is refused as a bad
 * parameter.
 */
public final class TagPattern {
    static final int MAX_LENGTH = 1024;
    static final long STEPS = 10_000_000;

    private final String parameter;
    private final BoundedPattern pattern;

    private TagPattern(String parameter, BoundedPattern pattern) {
        this.parameter = parameter;
        this.pattern = pattern;
    }

    /** The pattern of query parameter {@code parameter}; null when the parameter is absent or empty. */
    static TagPattern of(String parameter, String expression) {
        if (expression == null || expression.isEmpty()) {
            return null;
        }
        return new TagPattern(parameter, BoundedPattern.compile(parameter, expression, MAX_LENGTH));
    }

    boolean foundIn(String name, BoundedPattern.Budget budget) {
        try {
            return pattern.find(name, budget);
        } catch (BoundedPattern.Exhausted expensive) {
            throw ManagementException.badRequest(parameter + " takes too long to match tag " + name
                    + ": simplify the regular expression (nested repetition backtracks exponentially)");
        }
    }

    /**
     * A budget for the patterns of one request over all tags: a sane pattern needs a few hundred
     * character reads per tag, so 10,000 tags fit many times over.
     */
    static BoundedPattern.Budget budget() {
        return new BoundedPattern.Budget(STEPS);
    }
}
