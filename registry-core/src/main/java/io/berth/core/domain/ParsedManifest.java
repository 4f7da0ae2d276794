package io.berth.core.domain;

import java.util.Set;

/** What the registry needs to know about a manifest it accepts: its type and everything it references. */
public record ParsedManifest(
        String mediaType,
        String artifactType,
        String configMediaType,
        Digest configDigest,
        Digest subject,
        String annotationsJson,
        Set<Digest> blobs,
        Set<Digest> children) {
}
