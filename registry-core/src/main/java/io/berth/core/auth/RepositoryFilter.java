package io.berth.core.auth;

import java.util.Set;

/**
 * Which repositories a caller may see in a listing: public ones (unless left out), all of
 * {@code namespaceIds}, and {@code repositoryIds}; or everything.
 */
public record RepositoryFilter(boolean everything, Set<Long> namespaceIds, Set<Long> repositoryIds, boolean includePublic) {
    public static final RepositoryFilter EVERYTHING = new RepositoryFilter(true, Set.of(), Set.of(), true);

    /** The same, without the public repositories the caller has no rights of their own on. */
    public RepositoryFilter withoutPublic() {
        return new RepositoryFilter(everything, namespaceIds, repositoryIds, false);
    }

    /**
     * A SQL condition over a repositories row aliased {@code alias}. Unless it admits everything
     * ({@code TRUE}, no parameters), it takes two parameters, numbered from {@code firstParameter}:
     * the namespace ids ({@link #namespaceArray}) and then the repository ids ({@link #repositoryArray}), both bigint[].
     */
    public String sqlCondition(String alias, int firstParameter) {
        return everything ? "TRUE"
                : "(" + (includePublic ? alias + ".visibility = 'public' OR " : "") + alias + ".namespace_id = ANY($" + firstParameter
                + ") OR " + alias + ".id = ANY($" + (firstParameter + 1) + "))";
    }

    public Long[] namespaceArray() {
        return namespaceIds.toArray(Long[]::new);
    }

    public Long[] repositoryArray() {
        return repositoryIds.toArray(Long[]::new);
    }
}
