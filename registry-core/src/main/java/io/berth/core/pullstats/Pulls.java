package io.berth.core.pullstats;

import java.time.Instant;

/**
 * How often a tag or manifest was pulled (a manifest GET answered with its content; HEAD, 304 and
 * errors are not pulls) and when last; {@code lastPulled} is null when it never was. A listing row
 * that has no statistics of its own (a past period of a tag) has none: {@code count} null too.
 */
public record Pulls(Long count, Instant lastPulled) {
    public static final Pulls NONE = new Pulls(null, null);
}
