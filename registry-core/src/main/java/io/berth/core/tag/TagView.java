package io.berth.core.tag;

import io.berth.core.pullstats.Pulls;
import java.time.Instant;

/**
 * A tag, or one past period of it: the manifest it pointed at (media type and total size of
 * manifest, config and layers, or of an index and its manifests; zero once the manifest is gone),
 * when that began and ended, when the tag expires, and how often and when it was last pulled.
 */
public record TagView(String name, String manifestDigest, String mediaType, long size, Instant lastModified, Instant expiration,
        Instant start, Instant end, Pulls pulls) {

    public boolean isManifestList() {
        return mediaType != null && (mediaType.equals("application/vnd.oci.image.index.v1+json")
                || mediaType.equals("application/vnd.docker.distribution.manifest.list.v2+json"));
    }
}
