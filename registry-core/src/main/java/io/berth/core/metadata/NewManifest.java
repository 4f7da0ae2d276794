package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.berth.core.domain.ParsedManifest;

/** A pushed manifest to record: its digest, its exact bytes, and what parsing found in them. */
public record NewManifest(Digest digest, byte[] payload, ParsedManifest parsed) {
}
