package io.berth.core.metadata;

import io.berth.core.domain.Digest;

/** A manifest as served: its exact bytes and media type. */
public record StoredManifest(long id, Digest digest, String mediaType, byte[] payload, String subjectDigest) {
}
