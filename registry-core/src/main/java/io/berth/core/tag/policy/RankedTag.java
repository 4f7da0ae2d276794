package io.berth.core.tag.policy;

import io.berth.core.image.ImageView;
import java.time.Instant;
import java.util.List;

/** A tag a policy chose: its name, manifest, push time and, for an index, the platforms it offers (null otherwise). */
public record RankedTag(String name, String digest, Instant pushedAt, List<ImageView.Platform> platforms) {
}
