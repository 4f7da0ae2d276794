package io.berth.core.immutability;

import java.time.Instant;
import java.util.UUID;

/**
 * A rule making tags immutable: those whose name {@code pattern} matches, in every repository of
 * {@code namespace} or, when {@code repository} is given, in that repository alone.
 */
public record ImmutabilityRule(UUID id, String namespace, String repository, TagPattern pattern, Instant createdAt, String createdBy) {

    /** Whether the rule covers a whole namespace rather than one repository. */
    public boolean namespaceWide() {
        return repository == null;
    }

    public boolean protects(String tag) {
        return pattern.matches(tag);
    }
}
