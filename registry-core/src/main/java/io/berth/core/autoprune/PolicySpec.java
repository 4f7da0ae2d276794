package io.berth.core.autoprune;

import io.berth.core.error.ManagementException;
import java.time.Duration;

/**
 * What a policy says, checked: its method, its value as given (a count for the counting methods,
 * an age for the others) and its tag patterns. Every refusal names the field at fault.
 */
public record PolicySpec(PruneMethod method, String value, String tagPattern, boolean tagPatternMatches, String includeTagPattern,
        String excludeTagPattern) {
    /** The largest count a policy may keep. */
    static final int MAX_COUNT = 1_000_000;

    public PolicySpec {
        // Compiling checks the patterns; the filter itself is made again where tags are matched.
        TagFilter.compile("tagPattern", tagPattern);
        TagFilter.compile("includeTagPattern", includeTagPattern);
        TagFilter.compile("excludeTagPattern", excludeTagPattern);
    }

    public static PolicySpec of(PolicyRequest request) {
        if (request == null) {
            throw ManagementException.badRequest("a JSON request body is required");
        }
        PruneMethod method = PruneMethod.parse(request.method());
        String value = value(method, request);
        boolean matches = request.tagPatternMatches() == null || request.tagPatternMatches();
        if (!method.prunesTags() && (request.tagPattern() != null || request.includeTagPattern() != null
                || request.excludeTagPattern() != null || request.tagPatternMatches() != null)) {
            throw ManagementException.badRequest("tagPattern, tagPatternMatches, includeTagPattern and excludeTagPattern do not apply to "
                    + method.wireName() + ", which prunes manifests without tags");
        }
        if (request.tagPatternMatches() != null && request.tagPattern() == null) {
            throw ManagementException.badRequest("tagPatternMatches needs a tagPattern");
        }
        return new PolicySpec(method, value, request.tagPattern(), matches, request.includeTagPattern(), request.excludeTagPattern());
    }

    /** The value in its one written form: digits for a count, {@code <n><unit>} for an age. */
    private static String value(PruneMethod method, PolicyRequest request) {
        if (request.value() == null || request.value().isNull()) {
            throw ManagementException.badRequest("value is required: " + expected(method));
        }
        String text = request.value().isTextual() ? request.value().asText().trim()
                : request.value().isIntegralNumber() ? request.value().asText() : null;
        if (text == null) {
            throw ManagementException.badRequest("value must be " + expected(method));
        }
        if (method.counts()) {
            if (!text.matches("[0-9]{1,7}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_COUNT) {
                throw ManagementException.badRequest("value must be " + expected(method));
            }
            return String.valueOf(Integer.parseInt(text));
        }
        if (RetentionAge.parse(text).isEmpty()) {
            throw ManagementException.badRequest("value must be " + expected(method));
        }
        return text;
    }

    private static String expected(PruneMethod method) {
        return method.counts() ? "a number of tags from 1 to " + MAX_COUNT + " for " + method.wireName()
                : "an age such as 12h, 7d or 2w (a whole number of s, m, h, d or w, up to 100 years) for " + method.wireName();
    }

    /** The number of tags a counting method keeps. */
    public int count() {
        return Integer.parseInt(value);
    }

    /** The age of an ageing method. */
    public Duration age() {
        return RetentionAge.parse(value).orElseThrow();
    }

    public TagFilter filter() {
        return new TagFilter(tagPattern, tagPatternMatches, includeTagPattern, excludeTagPattern);
    }
}
