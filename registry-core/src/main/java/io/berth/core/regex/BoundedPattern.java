package io.berth.core.regex;

import io.berth.core.error.ManagementException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression a client wrote (an immutability rule, a prune policy's filter, a newest-tag
 * query), checked once and matched with a bound on its work. Java's engine backtracks, so a pattern
 * such as {@code (a+)+b} can take longer than the age of the universe on one tag; every match here
 * reads its text through a {@link Budget} of character reads and stops with {@link Exhausted} once
 * it is spent. What running out means (keep the tag, fail the run, refuse the request) is the caller's.
 */
public final class BoundedPattern {
    private final Pattern compiled;

    private BoundedPattern(Pattern compiled) {
        this.compiled = compiled;
    }

    /**
     * The pattern {@code field} of a request; a 400 naming the field when it is longer than
     * {@code maxLength}, holds a NUL (which PostgreSQL cannot store) or is not a regular expression.
     */
    public static BoundedPattern compile(String field, String expression, int maxLength) {
        if (expression.length() > maxLength) {
            throw ManagementException.badRequest(field + " is longer than " + maxLength + " characters");
        }
        if (expression.indexOf('\0') >= 0) {
            throw ManagementException.badRequest(field + " contains a NUL character");
        }
        try {
            return new BoundedPattern(Pattern.compile(expression));
        } catch (PatternSyntaxException | StackOverflowError invalid) {
            String why = invalid instanceof PatternSyntaxException syntax
                    ? syntax.getDescription() + (syntax.getIndex() >= 0 ? " near index " + syntax.getIndex() : "")
                    : "nested too deeply";
            throw ManagementException.badRequest(field + " is not a valid regular expression: " + why);
        }
    }

    /** Whether the whole text matches; {@link Exhausted} when the budget runs out first. */
    public boolean matches(String text, Budget budget) {
        try {
            return compiled.matcher(new CountedChars(text, budget)).matches();
        } catch (StackOverflowError runaway) {
            throw new Exhausted();
        }
    }

    /** Whether the pattern occurs anywhere in the text; {@link Exhausted} when the budget runs out first. */
    public boolean find(String text, Budget budget) {
        try {
            return compiled.matcher(new CountedChars(text, budget)).find();
        } catch (StackOverflowError runaway) {
            throw new Exhausted();
        }
    }

    public String source() {
        return compiled.pattern();
    }

    @Override
    public String toString() {
        return source();
    }

    /** Character reads matches may make: one per match, or shared by the matches of one request. */
    public static final class Budget {
        private long remaining;

        public Budget(long reads) {
            this.remaining = reads;
        }
    }

    /** A match that spent its budget (or the stack): the pattern backtracks catastrophically on that text. */
    public static final class Exhausted extends RuntimeException {
        Exhausted() {
            super("regular expression match ran out of budget", null, false, false);
        }
    }

    /** The text as the engine reads it, each read counted against the budget. */
    private record CountedChars(String text, Budget budget) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (--budget.remaining < 0) {
                throw new Exhausted();
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
}
