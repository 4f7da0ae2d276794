package io.berth.core.metadata;

/** The size of a manifest as listings report it, as SQL over a manifests row aliased {@code m}. */
public final class ManifestSize {
    /** Bytes of the manifest and what it references: its blobs, and for an index its manifests and theirs. */
    public static final String SQL = """
            (length(m.payload)
             + COALESCE((SELECT sum(b.size) FROM manifest_blobs mb JOIN blobs b ON b.digest = mb.digest WHERE mb.manifest_id = m.id), 0)
             + COALESCE((SELECT sum(length(child.payload) + COALESCE((SELECT sum(b.size) FROM manifest_blobs mb
                                  JOIN blobs b ON b.digest = mb.digest WHERE mb.manifest_id = child.id), 0))
                         FROM manifest_children mc JOIN manifests child
                           ON child.repository_id = m.repository_id AND child.digest = mc.child_digest
                         WHERE mc.manifest_id = m.id), 0))""";

    private ManifestSize() {
    }
}
