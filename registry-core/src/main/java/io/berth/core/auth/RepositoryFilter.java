package io.berth.core.auth;

import java.util.Set;

/**
 * Which repositories a caller may see in a listing: public ones, all of {@code namespaceIds}, and
 * {@code repositoryIds}; or everything.
 */
public record RepositoryFilter(boolean everything, Set<Long> namespaceIds, Set<Long> repositoryIds) {
    public static final RepositoryFilter EVERYTHING = new RepositoryFilter(true, Set.of(), Set.of());

    /** A SQL condition over a repositories row aliased {@code alias}, with its two array parameters. */
    public String sqlCondition(String alias) {
        return everything ? "TRUE"
                : "(" + alias + ".visibility = 'public' OR " + alias + ".namespace_id = ANY(?) OR " + alias + ".id = ANY(?))";
    }

    public Long[] namespaceArray() {
        return namespaceIds.toArray(Long[]::new);
    }

    public Long[] repositoryArray() {
        return repositoryIds.toArray(Long[]::new);
    }
}
