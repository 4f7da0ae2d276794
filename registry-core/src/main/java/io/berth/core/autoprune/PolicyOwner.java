package io.berth.core.autoprune;

import java.util.Objects;

/**
 * Whose policies: a namespace's (an organization or a user's own; {@code repositoryId} null) or
 * one repository's, in its namespace.
 */
public record PolicyOwner(long namespaceId, String namespace, Long repositoryId, String repository) {

    public boolean isRepository() {
        return repositoryId != null;
    }

    /** Whether the policy is this owner's own (a namespace's policies are not its repositories'). */
    boolean owns(AutoPrunePolicy policy) {
        return policy.namespaceId() == namespaceId && Objects.equals(policy.repositoryId(), repositoryId);
    }
}
