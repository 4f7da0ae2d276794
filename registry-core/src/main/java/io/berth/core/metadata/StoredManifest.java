package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import java.time.Instant;

/**
 * A manifest as served: its exact bytes and media type; when found through a tag that expires, the
 * tag's expiry (a cache must not serve it past then).
 */
public record StoredManifest(long id, Digest digest, String mediaType, byte[] payload, String subjectDigest, Instant expiresAt) {
}
