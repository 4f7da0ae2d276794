package io.berth.core.protocol.manifest;

import io.berth.core.domain.Digest;

/** A manifest was not deleted because another manifest of its repository still references it. */
public class ManifestReferencedException extends RuntimeException {
    private final Digest manifest;
    private final Digest referencedBy;

    public ManifestReferencedException(Digest manifest, Digest referencedBy) {
        super("Image is referenced by another manifest (" + referencedBy + ")", null, false, false);
        this.manifest = manifest;
        this.referencedBy = referencedBy;
    }

    public Digest manifest() {
        return manifest;
    }

    public Digest referencedBy() {
        return referencedBy;
    }
}
