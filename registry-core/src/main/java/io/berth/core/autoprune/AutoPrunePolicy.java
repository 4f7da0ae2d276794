package io.berth.core.autoprune;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored policy: of a namespace (every repository in it; {@code repositoryId} null) or of one
 * repository, with what it says.
 */
public record AutoPrunePolicy(UUID uuid, long namespaceId, Long repositoryId, String repository, PolicySpec spec, Instant createdAt,
        Instant updatedAt) {

    /** Whether the policy applies to the repository. */
    boolean appliesTo(long candidate) {
        return repositoryId == null || repositoryId == candidate;
    }

    public AutoPrunePolicyView view() {
        return new AutoPrunePolicyView(uuid.toString(), spec.method().wireName(),
                spec.method().counts() ? (Object) spec.count() : spec.value(), spec.tagPattern(),
                spec.tagPattern() == null ? null : spec.tagPatternMatches(), spec.includeTagPattern(), spec.excludeTagPattern(), repository,
                createdAt, updatedAt);
    }
}
