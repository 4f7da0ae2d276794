package io.berth.core.tag.policy;

import io.berth.core.error.ManagementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Java regular expression a tag name is searched with ({@link Matcher#find}, as Flux's and Argo CD
 * Image Updater's tag filters do: anchor it with {@code ^...$} to match the whole name). A pattern
 * is the caller's text run against every tag, so its work is bounded: matching that reads tag names
 * more than {@link Budget#STEPS} times in one request (catastrophic backtracking) is refused as a bad
 * parameter.
 */
public final class TagPattern {
    static final int MAX_LENGTH = 1024;

    private final String parameter;
    private final Pattern pattern;

    private TagPattern(String parameter, Pattern pattern) {
        this.parameter = parameter;
        this.pattern = pattern;
    }

    /** The pattern of query parameter {@code parameter}; null when the parameter is absent or empty. */
    static TagPattern of(String parameter, String expression) {
        if (expression == null || expression.isEmpty()) {
            return null;
        }
        if (expression.length() > MAX_LENGTH) {
            throw ManagementException.badRequest(parameter + " must be a regular expression of at most " + MAX_LENGTH + " characters");
        }
        try {
            return new TagPattern(parameter, Pattern.compile(expression));
        } catch (PatternSyntaxException | StackOverflowError invalid) {
            String reason = invalid instanceof PatternSyntaxException syntax ? syntax.getDescription() + " near index " + syntax.getIndex()
                    : "nested too deeply";
            throw ManagementException.badRequest(parameter + " is not a valid regular expression: " + reason);
        }
    }

    boolean foundIn(String name, Budget budget) {
        try {
            return pattern.matcher(new CountedChars(name, budget)).find();
        } catch (TooManySteps | StackOverflowError expensive) {
            throw ManagementException.badRequest(parameter + " takes too long to match tag " + name
                    + ": simplify the regular expression (nested repetition backtracks exponentially)");
        }
    }

    /**
     * How many character reads the patterns of one request may make over all tags: a sane pattern
     * needs a few hundred per tag, so 10,000 tags fit many times over.
     */
    static final class Budget {
        static final long STEPS = 10_000_000;
        private long remaining = STEPS;
    }

    /** A tag name that counts how often the matcher reads it, and stops it once the budget is spent. */
    private static final class CountedChars implements CharSequence {
        private final String text;
        private final Budget budget;

        CountedChars(String text, Budget budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget.remaining < 0) {
                throw new TooManySteps();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new CountedChars(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final class TooManySteps extends RuntimeException {
        TooManySteps() {
            super(null, null, false, false);
        }
    }
}
