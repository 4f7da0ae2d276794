package io.berth.core.immutability;

import io.berth.core.error.ManagementException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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

    private final String source;
    private final Pattern compiled;

    private TagPattern(String source, Pattern compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    /** The pattern a client sent as {@code tagPattern}; a 400 naming the field when it is missing, too long or not a regular expression. */
    public static TagPattern parse(String source) {
        if (source == null || source.isEmpty()) {
            throw ManagementException.badRequest("tagPattern is required: a regular expression matched against whole tag names");
        }
        if (source.length() > MAX_LENGTH) {
            throw ManagementException.badRequest("tagPattern is longer than " + MAX_LENGTH + " characters");
        }
        if (source.indexOf('\0') >= 0) {
            throw ManagementException.badRequest("tagPattern contains a NUL character");
        }
        try {
            return new TagPattern(source, Pattern.compile(source));
        } catch (PatternSyntaxException | StackOverflowError invalid) {
            String why = invalid instanceof PatternSyntaxException syntax ? syntax.getDescription() + " near index " + syntax.getIndex()
                    : "nested too deeply";
            throw ManagementException.badRequest("tagPattern is not a valid regular expression: " + why);
        }
    }

    /** A pattern read back from the database, where only valid ones are written. */
    static TagPattern stored(String source) {
        return new TagPattern(source, Pattern.compile(source));
    }

    /** Whether the whole tag name matches (or the match ran out of budget, which protects the tag). */
    public boolean matches(String tag) {
        try {
            return compiled.matcher(new BoundedInput(tag, MATCH_BUDGET)).matches();
        } catch (BoundedInput.Exhausted | StackOverflowError runaway) {
            return true;
        }
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    /** The tag as the regular expression engine reads it, each read counted against a budget. */
    private static final class BoundedInput implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("regular expression match ran out of budget", null, false, false);
            }
        }

        private final String text;
        private final int[] remaining;
        private final int start;
        private final int end;

        BoundedInput(String text, int budget) {
            this(text, new int[] {budget}, 0, text.length());
        }

        private BoundedInput(String text, int[] remaining, int start, int end) {
            this.text = text;
            this.remaining = remaining;
            this.start = start;
            this.end = end;
        }

        @Override
        public char charAt(int index) {
            if (--remaining[0] < 0) {
                throw new Exhausted();
            }
            return text.charAt(start + index);
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new BoundedInput(text, remaining, start + from, start + to);
        }

        @Override
        public String toString() {
            return text.substring(start, end);
        }
    }
}
