package io.berth.core.autoprune;

import java.util.UUID;

/**
 * What one run covers: a namespace's policies over all its repositories, narrowed to one repository
 * ({@code repositoryId}: the policies that apply to it) or to one policy ({@code policy}).
 */
public record RunScope(long namespaceId, String namespace, Long repositoryId, String repository, UUID policy) {

    static RunScope of(PolicyOwner owner) {
        return new RunScope(owner.namespaceId(), owner.namespace(), owner.repositoryId(), owner.repository(), null);
    }

    static RunScope of(PolicyOwner owner, AutoPrunePolicy policy) {
        return new RunScope(owner.namespaceId(), owner.namespace(), policy.repositoryId(), policy.repository(), policy.uuid());
    }
}
