package io.berth.core.domain;

import java.util.Map;
import java.util.Set;

/**
 * What the registry needs to know about a manifest it accepts: its type and everything it
 * references, each reference with the size its descriptor gives (one size per digest).
 */
public record ParsedManifest(
        String mediaType,
        String artifactType,
        String configMediaType,
        Digest configDigest,
        Digest subject,
        String annotationsJson,
        Map<Digest, Long> blobSizes,
        Map<Digest, Long> childSizes) {

    /** The blobs (config and layers) the repository must hold; external layers are not among them. */
    public Set<Digest> blobs() {
        return blobSizes.keySet();
    }

    /** The manifests an index lists. */
    public Set<Digest> children() {
        return childSizes.keySet();
    }
}
