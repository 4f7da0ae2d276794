package io.berth.core.gc;

/**
 * What a collection run covers: one namespace (organization or user) or, with a null id, the whole
 * registry. A namespace run reviews the blobs its repositories link or whose last release happened
 * in it; deleting a blob still removes it everywhere, which is safe because only blobs no manifest
 * of any repository references are deleted.
 */
public record GcScope(Long namespaceId) {
    public static final GcScope REGISTRY = new GcScope(null);

    public boolean registryWide() {
        return namespaceId == null;
    }
}
