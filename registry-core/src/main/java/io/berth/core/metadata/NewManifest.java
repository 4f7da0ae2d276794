package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import java.util.Set;

/** What is recorded for a pushed manifest: its bytes, what it references and how it is described. */
public record NewManifest(
        Digest digest,
        String mediaType,
        String artifactType,
        String configMediaType,
        Digest configDigest,
        Digest subject,
        String annotationsJson,
        byte[] payload,
        Set<Digest> blobs,
        Set<Digest> children) {
}
