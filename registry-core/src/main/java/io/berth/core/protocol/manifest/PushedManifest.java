package io.berth.core.protocol.manifest;

import io.berth.core.domain.Digest;

/** The outcome of a manifest push: its digest, and its subject when it has one (for the OCI-Subject header). */
public record PushedManifest(Digest digest, Digest subject) {
}
