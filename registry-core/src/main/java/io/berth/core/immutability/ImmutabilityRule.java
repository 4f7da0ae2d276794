package io.berth.core.immutability;

import java.time.Instant;
import java.util.UUID;

/**
 * A rule making tags immutable: those whose name {@code pattern} matches (Quay's
 * {@code tagPatternMatches}; when false, those it does not match), in every repository of
 * {@code namespace} or, when {@code repository} is given, in that repository alone.
 */
public record ImmutabilityRule(UUID id, String namespace, String repository, TagPattern pattern, boolean matching, Instant createdAt,
        String createdBy) {

    /** Whether the rule covers a whole namespace rather than one repository. */
    public boolean namespaceWide() {
        return repository == null;
    }

    public boolean protects(String tag) {
        return pattern.matches(tag) == matching;
    }

    /** The rule as refusals name it: its pattern, and whether it protects what does not match. */
    public String describe() {
        return matching ? pattern.source() : "not matching " + pattern.source();
    }
}
