package io.berth.core.protocol.manifest;

import io.berth.core.domain.Digest;
import java.util.List;

/**
 * The outcome of a manifest push: its digest, its subject when it has one (for the OCI-Subject
 * header), and the tags that now point at it.
 */
public record PushedManifest(Digest digest, Digest subject, List<String> tags) {
}
